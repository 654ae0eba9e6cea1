/// The tool calls of the latest replies in the current tool loop: what the loop breaker reads.
///
/// Counted from the request body, which every agent sends whole, so a loop is seen however the
/// agent got into it. The window is the latest replies since the last user text (a user who
/// answers a stopped loop starts a new one), at most the loop breaker's `window` of them. Calls
/// are identical when their names and arguments are the same bytes.
package struct CallWindow: Sendable, Hashable {
    /// Replies with tool calls in the window.
    package var replies = 0
    /// Tool calls in the window.
    package var calls = 0
    /// Distinct calls among them.
    package var distinct = 0
    /// The calls made more than once, most repeated first, at most three.
    package var repeated: [RepeatedCall] = []

    package init(replies: Int = 0, calls: Int = 0, distinct: Int = 0, repeated: [RepeatedCall] = []) {
        self.replies = replies
        self.calls = calls
        self.distinct = distinct
        self.repeated = repeated
    }
}

/// A call made more than once, and how it reads in a message.
package struct RepeatedCall: Sendable, Hashable, Codable {
    /// A hash of its name and arguments.
    package var print: UInt64
    /// Times made in the window.
    package var count: Int
    /// Its name and the start of its arguments, such as `Bash {"command":"pytest -x"}`.
    package var label: String

    package init(print: UInt64, count: Int, label: String) {
        self.print = print
        self.count = count
        self.label = label
    }
}
