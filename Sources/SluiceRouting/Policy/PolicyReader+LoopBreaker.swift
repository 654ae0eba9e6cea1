import Yams

/// The `loop_breaker:` and `anomalies:` sections.
///
/// ```yaml
/// loop_breaker:
///   identical: 5        # the same call (name and arguments) this many times...
///   window: 10          # ...among the latest replies of the tool loop
///   action: stop        # warn | escalate | stop
///   wide: {calls: 12, distinct: 3, action: escalate}   # optional
/// anomalies:
///   p90_multiple: 3     # a session past 3 × its tag's p90 session cost is flagged
///   growth_multiple: 4  # and one spending 4 × faster over its latest 10 minutes than before
///   growth_minutes: 10
/// ```
extension PolicyReader {
    private static let loopKeys = ["identical", "window", "action", "wide"]
    private static let wideKeys = ["calls", "distinct", "action"]
    private static let anomalyKeys = ["p90_multiple", "growth_multiple", "growth_minutes"]

    mutating func readLoopBreaker(_ node: Node, into draft: inout PolicyDraft) {
        guard
            let section = fields(
                of: node, at: "loop_breaker", expecting: "a mapping with action (and identical, window, wide)",
                allowed: Self.loopKeys)
        else { return }
        let fields = section
        let identical = fields["identical"].flatMap { count($0, at: "loop_breaker.identical", minimum: 2) }
        let window = fields["window"].flatMap { count($0, at: "loop_breaker.window", minimum: 1) }
        if let window, window > 100 {
            report("loop_breaker.window", "a window of more than 100 replies is not a loop; at most 100")
        }
        let action = required(fields, "action", at: "loop_breaker").flatMap {
            choice($0, at: "loop_breaker.action", kind: "action") as LoopAction?
        }
        var wide: WideLoop?
        if let node = fields["wide"],
            let wideFields = self.fields(
                of: node, at: "loop_breaker.wide", expecting: "a mapping with calls, distinct and action",
                allowed: Self.wideKeys)
        {
            let calls = required(wideFields, "calls", at: "loop_breaker.wide").flatMap {
                count($0, at: "loop_breaker.wide.calls", minimum: 2)
            }
            let distinct = required(wideFields, "distinct", at: "loop_breaker.wide").flatMap {
                count($0, at: "loop_breaker.wide.distinct", minimum: 1)
            }
            let wideAction = required(wideFields, "action", at: "loop_breaker.wide").flatMap {
                choice($0, at: "loop_breaker.wide.action", kind: "action") as LoopAction?
            }
            if let calls, let distinct, distinct >= calls {
                report("loop_breaker.wide.distinct", "must be fewer than calls (\(calls)), or every window is a loop")
            } else if let calls, let distinct, let wideAction {
                wide = WideLoop(calls: calls, distinct: distinct, action: wideAction)
            }
        }
        guard let action else { return }
        let breaker = LoopBreaker(
            identical: identical ?? LoopBreaker.defaultIdentical, window: min(window ?? LoopBreaker.defaultWindow, 100),
            action: action, wide: wide)
        if breaker.identical > breaker.window * 8 {
            report("loop_breaker.identical", "\(breaker.identical) identical calls cannot fit in \(breaker.window) replies")
        }
        draft.loopBreaker = breaker
    }

    mutating func readAnomalies(_ node: Node, into draft: inout PolicyDraft) {
        guard
            let fields = fields(
                of: node, at: "anomalies", expecting: "a mapping with p90_multiple and/or growth_multiple",
                allowed: Self.anomalyKeys)
        else { return }
        var watch = AnomalyWatch()
        if let node = fields["p90_multiple"], let multiple = count(node, at: "anomalies.p90_multiple", minimum: 1) {
            if multiple > 100 {
                report("anomalies.p90_multiple", "at most 100, like a p90 cap", at: node)
            } else {
                watch.p90Multiple = multiple
            }
        }
        if let node = fields["growth_multiple"] {
            watch.growthMultiple = count(node, at: "anomalies.growth_multiple", minimum: 2).map { min($0, 1_000) }
        }
        if let node = fields["growth_minutes"],
            let minutes = count(node, at: "anomalies.growth_minutes", minimum: 1)
        {
            if minutes > 60 {
                report("anomalies.growth_minutes", "at most 60: a pace is a session's latest hour at most", at: node)
            } else {
                watch.growthMinutes = minutes
            }
        }
        guard watch.p90Multiple != nil || watch.growthMultiple != nil else {
            report("anomalies", "names no sign to watch: set p90_multiple, growth_multiple or both", at: node)
            return
        }
        draft.anomalies = watch
    }
}
