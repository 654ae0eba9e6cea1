import SluiceLedger

/// The `loop_breaker:` section: what to do when an agent keeps making the same tool calls.
///
/// Two patterns, both read from the request history the agent sends (``CallWindow``): a tight
/// loop, `identical` calls with the same name and arguments among the latest `window` replies of
/// the tool loop, and a wide one, a full window of many calls, few of them distinct, and no edit.
/// Subagents of one session count together: a call several of them repeat adds up.
/// Only tool follow-ups trip it; a user who answers starts a new tool loop.
package struct LoopBreaker: Sendable, Hashable {
    /// The evidence behind the defaults: 5 identical calls among the latest 10 replies is where a
    /// loop is broken by peers that measured it; fewer catches an agent polling a slow build.
    package static let defaultIdentical = 5
    package static let defaultWindow = 10

    package var identical: Int
    package var window: Int
    package var action: LoopAction
    /// The wide pattern; `nil` when only tight loops are watched.
    package var wide: WideLoop?

    package init(identical: Int = defaultIdentical, window: Int = defaultWindow, action: LoopAction, wide: WideLoop? = nil) {
        self.identical = identical
        self.window = window
        self.action = action
        self.wide = wide
    }
}

/// What the loop breaker does with a loop.
package enum LoopAction: String, Sendable, Hashable, CaseIterable {
    /// Say so in `x-sluice-guard` and the log; the turn goes where it would have.
    case warn
    /// Send the turn, and each later turn the loop still trips, to the baseline (frontier) model.
    case escalate
    /// Answer the agent, in its dialect, with a message that names the loop and says Sluice
    /// stopped it; nothing goes upstream.
    case stop
}

/// A wide no-progress cycle: at least `calls` tool calls in a full window, at most `distinct` of
/// them different, and no edit among them.
package struct WideLoop: Sendable, Hashable {
    package var calls: Int
    package var distinct: Int
    package var action: LoopAction

    package init(calls: Int, distinct: Int, action: LoopAction) {
        self.calls = calls
        self.distinct = distinct
        self.action = action
    }
}

/// A loop the breaker found in a turn.
package struct LoopTrip: Sendable, Hashable {
    package enum Pattern: String, Sendable, Hashable {
        case tight, wide
    }

    package var pattern: Pattern
    package var action: LoopAction
    /// The call repeated most, with its count across the session's threads (for a wide loop,
    /// the most repeated call of the window, if any).
    package var call: RepeatedCall?
    /// The window it was found in.
    package var window: CallWindow
    /// Whether the call is one Sluice already stopped in this session, made again.
    package var again = false

    /// The message the agent shows its user when the loop is stopped.
    package var stopMessage: String {
        var text = "Sluice stopped this agent: it is stuck in a loop. "
        switch pattern {
        case .tight:
            if let call, again {
                text += "It went back to a tool call Sluice already stopped, \(call.count) times in its latest \(window.replies) steps:\n\n    \(call.label)\n\n"
            } else if let call {
                text += "It made the same tool call \(call.count) times in its latest \(window.replies) steps:\n\n    \(call.label)\n\n"
            }
        case .wide:
            text += "Its latest \(window.replies) steps made \(window.calls) tool calls, only \(window.distinct) of them different, and edited nothing"
            if let call { text += " (most often: \(call.label))" }
            text += ".\n\n"
        }
        text += "Nothing was sent to the model for this step. Tell the agent what to do differently to continue; "
        text += "the loop breaker is set in the policy's `loop_breaker:` section."
        return text
    }
}

extension LoopBreaker {
    /// The loop a turn is in, if any: the tight pattern first, then the wide one.
    ///
    /// A call Sluice already stopped in the session trips again as soon as it repeats: an agent
    /// with no person to read the stop (an autonomous harness answers it with a format error and
    /// goes on) would otherwise get a fresh window of `identical` calls after every stop.
    ///
    /// - Parameters:
    ///   - features: The turn's features (its window and history).
    ///   - others: The repeated calls of the session's other threads (subagents, or the main
    ///     agent for a subagent), from their latest turns.
    ///   - stopped: The prints of the calls the session's loops were stopped on.
    package func trip(_ features: TurnFeatures, others: [RepeatedCall], stopped: [UInt64] = []) -> LoopTrip? {
        guard features.shape == .toolFollowup else { return nil }
        let window = features.callWindow
        guard window.calls > 0 else { return nil }
        // Parallel subagents looping on the same call count together: another thread's repeats of
        // a call this thread repeats too are added; a call only another thread made is its own loop.
        var combined = window.repeated
        for index in combined.indices {
            combined[index].count += others.reduce(0) { $1.print == combined[index].print ? $0 + $1.count : $0 }
        }
        let top = combined.max { ($0.count, $1.label) < ($1.count, $0.label) }
        if let top, top.count >= identical {
            return LoopTrip(pattern: .tight, action: action, call: top, window: window)
        }
        if let again = combined.first(where: { stopped.contains($0.print) }) {
            return LoopTrip(pattern: .tight, action: action, call: again, window: window, again: true)
        }
        if let wide, window.replies >= self.window, window.calls >= wide.calls, window.distinct <= wide.distinct,
            features.history.repliesSinceEdit >= window.replies
        {
            return LoopTrip(pattern: .wide, action: wide.action, call: window.repeated.first, window: window)
        }
        return nil
    }
}
