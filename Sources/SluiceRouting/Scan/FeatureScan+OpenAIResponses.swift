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
        var callItems: [String: JSONValue] = [:]
        var trailingOutputs: [JSONValue] = []
        var previousWasCall = false
        var lastKind = MessageKind.none
        // Consecutive call items are one assistant turn of (possibly parallel) calls.
        var runCalls: [(name: JSONValue?, input: JSONValue?)] = []
        for item in input.elements {
            features.messageCount += 1
            let type = item["type"]?.string ?? (item["role"] != nil ? "message" : "")
            if type == "reasoning" { continue }
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
        features.lastMessage = lastKind
        guard lastKind == .toolResult else { return }
        for output in trailingOutputs {
            let id = output["call_id"]?.string ?? ""
            results.append((id, Self.textRanges(of: output["output"]), false))
            guard let call = callItems[id] else { continue }
            let type = call["type"]?.string ?? ""
            let name: String
            let arguments: JSONValue?
            switch type {
            case "custom_tool_call":
                name = call["name"]?.string ?? ""
                arguments = nil
            case "local_shell_call", "shell_call":
                name = "local_shell"
                arguments = call["action"]
            case "apply_patch_call":
                name = "apply_patch"
                arguments = nil
            case "web_search_call":
                name = "web_search"
                arguments = nil
            default:
                name = call["name"]?.string ?? ""
                arguments = call["arguments"]
            }
            calls[id] = ToolCallInfo(name: name, input: arguments, catalog: catalog)
        }
    }
}
