/// The file a policy in force was read from, its text as read, and when it was loaded: what the
/// dashboard's policy page shows, which may differ from the file on disk after a refused edit.
package struct PolicySource: Sendable {
    package var path: String
    package var text: String
    package var loadedAtMilliseconds: Int64

    package init(path: String, text: String, loadedAtMilliseconds: Int64) {
        self.path = path
        self.text = text
        self.loadedAtMilliseconds = loadedAtMilliseconds
    }
}
