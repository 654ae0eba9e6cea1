import SluiceLedger
import SluiceWire

extension FeatureScan {
    /// Reads an OpenAI Responses request (Codex).
    mutating func readResponses(_ root: JSONValue) {
        bytes = root.document.bytes
        features.maxTokens = root["max_output_tokens"]?.int
        features.toolsOffered = root["tools"]?.count ?? 0
        if let choice = root["tool_choice"] { features.toolChoice = choice.string ?? choice["name"]?.string }
        if let effort = root[path: "reasoning", "effort"]?.string { features.thinking = effort != "none" }
        signals.promptCacheKey = root["prompt_cache_key"]?.string
        noteOpenAIOptions(root)
        signals.metadataSessionID = root[path: "metadata", "session_id"]?.string
        noteSystemText(root["instructions"])
        guard let input = root["input"] else { return }
        if input.kind == .string {
            features.messageCount = 1
            features.lastMessage = .userText
            noteUserText(input)
            return
        }
        conversation = input.byteRange
        var callItems: [String: JSONValue] = [:]
        // One reply of the model is its message and the calls after it, up to the next output,
        // user or system item: counted in the history when it ends.
        var reply: (start: Int, calls: [ToolCategory])?
        var trailingOutputs: [JSONValue] = []
        var previousWasCall = false
        var lastKind = MessageKind.none
        // Consecutive call items are one assistant turn of (possibly parallel) calls.
        var runCalls: [(name: JSONValue?, input: JSONValue?)] = []
        for item in input.elements {
            features.messageCount += 1
            let type = item["type"]?.string ?? (item["role"] != nil ? "message" : "")
            if type == "reasoning" { continue }
            features.history.lastMessageBytes = item.byteRange.count
            let fromModel = type.hasSuffix("_call") || (type == "message" && item["role"]?.isString("assistant") == true)
            if fromModel {
                if reply == nil { reply = (item.byteRange.lowerBound, []) }
                if type.hasSuffix("_call") {
                    reply?.calls.append(category(of: item) { Self.callInfo(of: item, catalog: catalog).category })
                }
            } else if let ended = reply {
                noteReply(ended.calls, at: ended.start)
                reply = nil
            }
            if !type.hasSuffix("_call") && !runCalls.isEmpty {
                noteToolCalls(runCalls)
                runCalls.removeAll()
            }
            if type.hasSuffix("_output") {
                trailingOutputs.append(item)
                lastKind = .toolResult
                previousWasCall = false
                continue
            }
            trailingOutputs.removeAll()
            if type.hasSuffix("_call") {
                if !previousWasCall {
                    features.loopDepth += 1
                    features.assistantMessages += 1
                }
                previousWasCall = true
                runCalls.append((item["name"], item["arguments"] ?? item["input"] ?? item["action"]))
                if let id = item["call_id"]?.string ?? item["id"]?.string { callItems[id] = item }
                lastKind = .assistant
                continue
            }
            previousWasCall = false
            guard type == "message" else { continue }
            let content = item["content"]
            switch item["role"]?.string {
            case "user":
                features.loopDepth = 0
                lastKind = .userText
                noteUserText(content)
                for part in content.elementsIfAny where part["type"]?.isString("input_image") == true {
                    noteImage(dataBytes: part["image_url"]?.rawStringRange.count ?? 0)
                }
            case "developer", "system":
                lastKind = .system
                noteSystemText(content)
            default:
                noteToolCalls([])
                features.assistantMessages += 1
                lastKind = .assistant
            }
        }
        if !runCalls.isEmpty { noteToolCalls(runCalls) }
        if let ended = reply { noteReply(ended.calls, at: ended.start) }
        features.lastMessage = lastKind
        guard lastKind == .toolResult else { return }
        for output in trailingOutputs {
            let id = output["call_id"]?.string ?? ""
            results.append((id, Self.textRanges(of: output["output"]), false))
            guard let call = callItems[id] else { continue }
            calls[id] = Self.callInfo(of: call, catalog: catalog)
        }
    }

    /// A call item's name and category: its tool's name with its arguments, or the built-in
    /// tool its type names (`local_shell_call` runs a command, `apply_patch_call` edits).
    static func callInfo(of call: JSONValue, catalog: ToolCatalog) -> ToolCallInfo {
        switch call["type"]?.string ?? "" {
        case "custom_tool_call": ToolCallInfo(name: call["name"]?.string ?? "", input: nil, catalog: catalog)
        case "local_shell_call", "shell_call": ToolCallInfo(name: "local_shell", input: call["action"], catalog: catalog)
        case "apply_patch_call": ToolCallInfo(name: "apply_patch", input: nil, catalog: catalog)
        case "web_search_call": ToolCallInfo(name: "web_search", input: nil, catalog: catalog)
        default: ToolCallInfo(name: call["name"]?.string ?? "", input: call["arguments"], catalog: catalog)
        }
    }
}
