package import SluiceWire

extension SessionOutcome {
    /// Reads the body of `POST /v1/sessions/{key}/outcome`.
    ///
    /// `{"outcome": "success" | "failure", "score": 0.8, "note": "..."}`; `{"success": true}`
    /// is read as the same. A score must lie in 0...1 and a note may have at most
    /// ``maxNoteLength`` characters: a report that cannot be stored as sent is refused, not cut.
    ///
    /// - Throws: `ClientError` `invalidRequest` saying what is wrong.
    package init(
        requestBody body: UnsafeRawBufferPointer, session: String, id: String, at now: Int64
    ) throws(ClientError) {
        guard !session.isEmpty else { throw ClientError(.invalidRequest, "The session key in the path is empty.") }
        guard let document = try? JSONDocument(bytes: body), document.root.kind == .object else {
            throw ClientError(
                .invalidRequest,
                #"An outcome is a JSON object such as {"outcome": "success", "score": 0.9, "note": "tests pass"}."#)
        }
        let root = document.root
        let verdict: Verdict
        if let text = root["outcome"]?.string {
            guard let named = Verdict(rawValue: text) else {
                throw ClientError(.invalidRequest, "\"outcome\" must be \"success\" or \"failure\", not \"\(text.prefix(40))\".")
            }
            verdict = named
        } else if let success = root["success"]?.bool {
            verdict = success ? .success : .failure
        } else {
            throw ClientError(.invalidRequest, #"The outcome needs "outcome": "success" or "failure"."#)
        }
        var score: Double?
        if let value = root["score"], !value.isNull {
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: body[value.byteRange]), as: UTF8.self)
            guard value.kind == .number, let number = Double(text), (0...1).contains(number) else {
                throw ClientError(.invalidRequest, "\"score\" must be a number from 0 to 1.")
            }
            score = number
        }
        var note: String?
        if let value = root["note"], !value.isNull {
            guard let text = value.string else { throw ClientError(.invalidRequest, "\"note\" must be text.") }
            guard text.count <= Self.maxNoteLength else {
                throw ClientError(.invalidRequest, "\"note\" is longer than \(Self.maxNoteLength) characters.")
            }
            note = text
        }
        self.init(id: id, session: session, verdict: verdict, score: score, note: note, recordedAtMilliseconds: now)
    }

    /// The stored outcome as the endpoint answers it.
    package var json: String {
        let fields = [
            ("id", JSONStringDecoder.quoted(id)), ("session", JSONStringDecoder.quoted(session)),
            ("outcome", JSONStringDecoder.quoted(verdict.rawValue)), ("score", score.map { "\($0)" } ?? "null"),
            ("note", note.map(JSONStringDecoder.quoted) ?? "null"), ("recorded_at_ms", "\(recordedAtMilliseconds)"),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}
