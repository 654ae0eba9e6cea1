extension String {
    /// The text with spaces added on the right to `width` characters, for columns.
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// The text with `pad` added on the left to `width` characters, for numbers in columns.
    func leftPadded(_ width: Int, _ pad: Character = " ") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
