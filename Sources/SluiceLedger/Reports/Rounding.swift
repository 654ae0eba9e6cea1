/// Integer division rounded the way report figures are: half up.
///
/// Averages of money must stay whole nanodollars without a detour through floating point;
/// `Int128` holds any sum of `Int64` amounts times a small factor without overflow.
enum Rounding {
    /// `numerator ÷ denominator` rounded half up (toward +∞ at exactly one half): 3 ÷ 2 is 2,
    /// -3 ÷ 2 is -1, 4 ÷ 3 is 1.
    ///
    /// - Precondition: `denominator > 0`.
    static func halfUp(_ numerator: Int128, dividedBy denominator: Int128) -> Int128 {
        precondition(denominator > 0, "rounding needs a positive denominator")
        // ⌊(2n + d) ÷ 2d⌋ = ⌊n/d + ½⌋; Swift's `/` truncates, so step down for negative remainders.
        let twice = numerator * 2 + denominator
        let quotient = twice / (2 * denominator)
        return twice % (2 * denominator) < 0 ? quotient - 1 : quotient
    }
}
