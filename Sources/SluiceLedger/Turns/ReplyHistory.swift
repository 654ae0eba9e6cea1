/// What the model did in the replies a conversation already holds: the history features a rule
/// or the next-move model reads.
///
/// On real traffic the shape of the last tool result alone predicts poorly what the model does
/// next; what it has been doing does better: a run of read-only replies tends to continue, and
/// the steps after an edit tend to be tests and more edits. Counted from the request body (every
/// agent sends its whole conversation), so a turn's history needs no session state and replays
/// from its ledger row. Plain values: the ledger keeps it with the row, and the routing core
/// fills it while scanning.
package struct ReplyHistory: Sendable, Hashable, Codable {
    /// Assistant replies in the conversation.
    package var replies = 0
    /// Replies that made tool calls, every one of them a search, a read or a listing.
    package var readOnlyReplies = 0
    /// Read-only replies in a row just before this turn (0 when the latest reply was not one).
    package var readOnlyStreak = 0
    /// Replies since the latest one that edited a file; every reply when none did.
    package var repliesSinceEdit = 0
    /// Whether any reply edited a file.
    package var edited = false
    /// Tool calls the latest reply made.
    package var previousCalls = 0
    /// Bytes of the last message, as sent.
    package var lastMessageBytes = 0
    /// Estimated tokens of the latest reply and all that followed it: what the prompt grew by
    /// since the model was last asked (the whole conversation when there is no reply yet).
    package var growthTokens = 0

    package init() {}

    /// The share of replies so far that were read-only, in percent (0 when there is none).
    package var readOnlyPercent: Int { replies == 0 ? 0 : readOnlyReplies * 100 / replies }

    /// Counts one reply: how many tool calls it made, whether all of them only searched, read
    /// or listed, and whether one edited.
    package mutating func note(calls: Int, readOnly: Bool, edits: Bool) {
        replies += 1
        if readOnly && calls > 0 {
            readOnlyReplies += 1
            readOnlyStreak += 1
        } else {
            readOnlyStreak = 0
        }
        if edits {
            edited = true
            repliesSinceEdit = 0
        } else {
            repliesSinceEdit += 1
        }
        previousCalls = calls
    }

    private enum CodingKeys: String, CodingKey {
        case replies, readOnlyReplies = "read_only", readOnlyStreak = "streak", repliesSinceEdit = "since_edit"
        case edited, previousCalls = "previous_calls", lastMessageBytes = "last_bytes", growthTokens = "growth"
    }
}
