/// Why a model file could not be read.
package struct NextMoveModelError: Error, Sendable, Hashable, CustomStringConvertible {
    package var description: String

    init(_ description: String) {
        self.description = description
    }
}
