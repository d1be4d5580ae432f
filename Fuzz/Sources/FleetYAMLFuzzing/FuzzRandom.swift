/// SplitMix64: a small, fast generator whose whole output follows from one seed, so a fuzz
/// run can be repeated exactly on any machine and any Swift version.
///
/// The bounded helpers are written here rather than taken from `Int.random(in:using:)`, whose
/// algorithm the standard library may change between releases.
package struct FuzzRandom {
    private var state: UInt64

    package init(seed: UInt64) {
        state = seed
    }

    /// A generator for one iteration of a run, so that one failing iteration can be replayed
    /// without running the ones before it.
    package init(seed: UInt64, iteration: Int) {
        var mixer = FuzzRandom(seed: seed ^ (UInt64(truncatingIfNeeded: iteration)
            &* 0xD1B5_4A32_D192_ED03))
        state = mixer.next()
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound`; 0 when `bound` is not positive.
    package mutating func below(_ bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        // The multiply-high reduction has a bias under 2^-40 for the bounds used here.
        let product = next().multipliedFullWidth(by: UInt64(bound))
        return Int(product.high)
    }

    /// A value in `range`.
    package mutating func within(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.count)
    }

    /// True once in `n` calls on average.
    package mutating func oneIn(_ n: Int) -> Bool {
        below(n) == 0
    }

    /// A value in `0..<bound` that favours small ones, for lengths and repeat counts.
    package mutating func small(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let bits = within(0...(Int.bitWidth - bound.leadingZeroBitCount))
        return below(min(bound, 1 << bits))
    }

    package mutating func element<T>(of items: [T]) -> T? {
        items.isEmpty ? nil : items[below(items.count)]
    }
}
