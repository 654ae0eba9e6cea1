import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SluiceLedger
import SluiceRouting

/// Serves `/dashboard`: each page reads the ledger for its period and renders it whole on the
/// server (``DashboardOverview``, ``DashboardSessions``, ``DashboardSessionPage``,
/// ``DashboardExperiments``, ``DashboardPolicy``, all pure).
///
/// Behind the admin token when one is set: a browser cannot send a header, so `?token=` on any
/// page sets an HTTP-only cookie and redirects to the same page without it; a page asked for
/// without the token shows a sign-in form instead.
struct DashboardHandler: Sendable {
    let store: any LedgerStore
    let policies: PolicyHolder
    let admin: AdminAccess
    let clock: @Sendable () -> Int64

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/dashboard") { request, context in
            await page(request, context: context) { query, now in try await overview(query, now: now) }
        }
        router.get("/dashboard/sessions") { request, context in
            await page(request, context: context) { query, now in try await sessions(query, now: now) }
        }
        router.get("/dashboard/sessions/:key") { request, context in
            let segment = context.parameters.get("key") ?? ""
            return await page(request, context: context) { _, now in try await session(segment, now: now) }
        }
        router.get("/dashboard/experiments") { request, context in
            await page(request, context: context) { query, now in try await experiments(query, now: now) }
        }
        router.get("/dashboard/policy") { request, context in
            await page(request, context: context) { query, now in try await policy(query, now: now) }
        }
    }

    // MARK: - Pages

    private func overview(_ query: DashboardQuery, now: Int64) async throws -> (HTTPResponse.Status, String) {
        let period = DashboardPeriod(query: query, nowMilliseconds: now)
        let turns = try await store.turns(from: period.from, until: period.until, withFeatures: false)
        return (.ok, DashboardOverview(turns: turns, period: period, nowMilliseconds: now).html)
    }

    private func sessions(_ query: DashboardQuery, now: Int64) async throws -> (HTTPResponse.Status, String) {
        let filter = DashboardSessionFilter(query: query, nowMilliseconds: now)
        async let outcomes = store.outcomes()
        let turns = try await store.turns(from: filter.period.from, until: filter.period.until, withFeatures: false)
        return (.ok, DashboardSessions(turns: turns, outcomes: try await outcomes, filter: filter, nowMilliseconds: now).html)
    }

    private func session(_ segment: String, now: Int64) async throws -> (HTTPResponse.Status, String) {
        let key = DashboardSessionPage.session(fromPathSegment: segment)
        let turns = try await store.turns(inSession: key)
        guard !turns.isEmpty else {
            return (.notFound, DashboardSessionPage.notFoundHTML(session: key, nowMilliseconds: now))
        }
        let outcome = SessionOutcome.latest(try await store.outcomes())[key]
        return (.ok, DashboardSessionPage(session: key, turns: turns, outcome: outcome, nowMilliseconds: now).html)
    }

    private func experiments(_ query: DashboardQuery, now: Int64) async throws -> (HTTPResponse.Status, String) {
        let period = DashboardPeriod(query: query, nowMilliseconds: now)
        async let outcomes = store.outcomes()
        let turns = try await store.turns(from: period.from, until: period.until, withFeatures: false)
        let orders = Dictionary(
            policies.current.policy.experiments.map { ($0.name, $0.arms.map(\.name)) }, uniquingKeysWith: { first, _ in first })
        let page = DashboardExperiments(
            turns: turns, outcomes: try await outcomes, armOrders: orders, period: period, nowMilliseconds: now)
        return (.ok, page.html)
    }

    private func policy(_ query: DashboardQuery, now: Int64) async throws -> (HTTPResponse.Status, String) {
        let period = DashboardPeriod(query: query, nowMilliseconds: now)
        let loaded = policies.current
        let turns = try await store.turns(from: period.from, until: period.until, withFeatures: false)
        let page = DashboardPolicy(
            path: loaded.source?.path ?? "(built in)", yaml: loaded.source?.text ?? "",
            loadedAtMilliseconds: loaded.source?.loadedAtMilliseconds ?? now,
            ruleNames: loaded.policy.rules.map(\.name), turns: turns, period: period, nowMilliseconds: now)
        return (.ok, page.html)
    }

    // MARK: - Access and rendering

    /// Checks access, then renders; a ledger that cannot be read gives a 503 page, not a crash.
    private func page(
        _ request: Request, context: GatewayRequestContext,
        render: (DashboardQuery, Int64) async throws -> (HTTPResponse.Status, String)
    ) async -> Response {
        let query = DashboardQuery(queryString: request.uri.query ?? "")
        if admin.token != nil && !admin.allowsReading(request.headers) {
            if let presented = query["token"],
                AdminAccess.equalInConstantTime(Array(presented.utf8), Array((admin.token ?? "").utf8))
            {
                return signedIn(redirectTo: request.uri.path, query: query, token: presented)
            }
            return html(.unauthorized, Self.signInPage(path: request.uri.path, failed: query["token"] != nil))
        }
        do {
            let (status, body) = try await render(query, clock())
            return html(status, body)
        } catch {
            context.logger.error("Dashboard could not read the ledger", metadata: ["ledger.error": "\(error)"])
            return html(
                .serviceUnavailable,
                Self.messagePage(title: "Ledger unavailable", text: "The ledger could not be read: \(error). Try again shortly."))
        }
    }

    private func html(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: DashboardLayout.contentSecurityPolicy,
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// Keeps the token in a cookie only this gateway's dashboard reads, and drops it from the URL.
    private func signedIn(redirectTo path: String, query: DashboardQuery, token: String) -> Response {
        let rest = query.items.filter { $0.name != "token" }.map { ($0.name, $0.value) }
        var headers: HTTPFields = [.location: DashboardQuery.link(path, rest)]
        headers[.setCookie] = "\(AdminAccess.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict"
        return Response(status: .seeOther, headers: headers)
    }

    static func signInPage(path: String, failed: Bool) -> String {
        let note = failed ? "<p class=\"bad\">That token is not the one this gateway was started with.</p>" : ""
        return messagePage(
            title: "Sign in",
            html: """
                <p>This gateway's dashboard needs its admin token (<code>SLUICE_ADMIN_TOKEN</code>).</p>\(note)
                <form method="get" action="\(DashboardLayout.escaped(path))">
                <label>Admin token <input type="password" name="token" autocomplete="current-password" autofocus></label>
                <button type="submit">Sign in</button></form>
                """)
    }

    static func messagePage(title: String, text: String) -> String {
        messagePage(title: title, html: "<p>\(DashboardLayout.escaped(text))</p>")
    }

    private static func messagePage(title: String, html: String) -> String {
        """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sluice · \(DashboardLayout.escaped(title))</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}.bad{color:#b00}</style>
        </head><body><h1>\(DashboardLayout.escaped(title))</h1>\(html)</body></html>
        """
    }
}
