import CNcursesw
import DuchaCore
import Testing

/// Proves that ncursesw is installed and linked, and that ducha measures text exactly as the C
/// library (and so ncurses) does.
@Suite struct NcursesLinkTests {
    @Test func ncurseswIsLinked() {
        let version = String(cString: curses_version())
        #expect(version.hasPrefix("ncurses 6"), "\(version)")
    }

    @Test func displayWidthAgreesWithWcwidthForEveryCodePoint() throws {
        #expect(ducha_setlocale_c_utf8() != nil, "需要 C.UTF-8 区域设置")
        var mismatches: [String] = []
        for v in UInt32(0x20)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            // The characters `Deceptive` names are never drawn: U+FFFD is, in their place (a
            // zero-width joiner is decided by its neighbours, so measured in text).
            let shown = Deceptive.kind(v) != nil && v != 0x200D && !DisplayWidth.isUnprintable(s) ? 0xFFFD : v
            let c = Int(ducha_wcwidth(Int32(shown)))
            let ours = DisplayWidth.isUnprintable(s) ? -1 : DisplayWidth.of(s)
            if c != ours, mismatches.count < 10 { mismatches.append("U+\(String(v, radix: 16)): wcwidth \(c), ducha \(ours)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }
}
