import SluiceWire

/// Everything the gateway needs from one request body, read in one pass.
package struct ScannedRequest: Sendable {
    package var features: TurnFeatures
    package var session: String
    package var sessionSource: SessionSource
    /// The bytes of the top-level `model` value (quotes included), to splice the routed model in.
    package var modelRange: Range<Int>
    /// For OpenAI chat streams that did not ask for usage: the edit that asks for it.
    package var usageOptionEdit: ByteEdit?

    /// The edits that turn the client's body into the upstream's: the model, and usage options.
    package func edits(routedModelID: String) -> [ByteEdit] {
        var edits = [ByteEdit(range: modelRange, replacement: Array(JSONStringDecoder.quoted(routedModelID).utf8))]
        if let usageOptionEdit { edits.append(usageOptionEdit) }
        return edits.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }
}
