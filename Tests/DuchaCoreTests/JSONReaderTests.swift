import Testing

@testable import DuchaCore

/// The reader refuses what RFC 8259 refuses, whichever entry point reads the value.
@Suite struct JSONReaderTests {
    /// A whole document skipped as any value, then required to end.
    func document(_ text: String) throws(JSONError) {
        try JSONReader.read(Array(text.utf8)) { (r: inout JSONReader) throws(JSONError) in
            try r.skipValue()
            try r.expectEnd()
        }
    }

    /// An object holding one integer member, read as an integer.
    func integer(_ text: String) throws(JSONError) -> Int {
        try JSONReader.read(Array(#"{"n":\#(text)}"#.utf8)) { (r: inout JSONReader) throws(JSONError) -> Int in
            try r.beginObject()
            _ = try r.nextKeyCode()
            let n = try r.readInt()
            guard try r.nextKeyCode() == nil else { throw r.error("多余的成员") }
            try r.expectEnd()
            return n
        }
    }

    /// An object's members read the way the journal's decoders read them: keys as codes.
    func membersByCode(_ bytes: [UInt8]) throws(JSONError) {
        try JSONReader.read(bytes) { (r: inout JSONReader) throws(JSONError) in
            try r.beginObject()
            while try r.nextKeyCode() != nil { try r.skipValue() }
            try r.expectEnd()
        }
    }

    static let malformedNumbers = [
        "01", "-01", "00", "1.", ".5", "+1", "1e", "1e+", "1E-", "--1", "-", "0.1.2", "1.e5", "1..2", "1ee2", "0x10",
        "NaN", "Infinity", "-Infinity", "1e5.0", "١",
    ]

    @Test(arguments: malformedNumbers) func malformedNumbersAreRefused(_ number: String) {
        #expect(throws: JSONError.self, "值 \(number)") { try document(number) }
        #expect(throws: JSONError.self, "数组中的 \(number)") { try document("[\(number)]") }
        #expect(throws: JSONError.self, "对象中的 \(number)") { try document(#"{"a":\#(number)}"#) }
        #expect(throws: JSONError.self, "整数 \(number)") { _ = try integer(number) }
    }

    @Test func validNumbersAreAccepted() throws {
        for n in ["0", "-0", "1.5e-3", "10", "-12", "0.5", "1E+2", "1e2", "-0.0", "123456789", "2.25E10"] {
            #expect(throws: Never.self, "\(n)") { try document(n) }
            #expect(throws: Never.self, "[\(n)]") { try document("[\(n),\(n)]") }
            #expect(throws: Never.self, "{\(n)}") { try document(#"{"a":\#(n),"b":[\#(n)]}"#) }
        }
        #expect(try integer("0") == 0)
        #expect(try integer("-0") == 0)
        #expect(try integer("10") == 10)
        #expect(try integer("-12") == -12)
        #expect(try integer(" 7 ") == 7)
        // A number that is valid JSON but not an integer is refused where an integer is wanted.
        for n in ["1.5", "1e2", "1.0"] { #expect(throws: JSONError.self, "\(n)") { _ = try integer(n) } }
    }

    @Test func malformedStringsAreRefused() {
        let bad: [String] = [
            // Unescaped control characters.
            "\"a\u{1}b\"", "\"tab\there\"", "\"line\nbreak\"", "\"\u{1F}\"",
            // Invalid escapes.
            #""\x41""#, #""\a""#, #""\'""#, #""\u12""#, #""\u12g4""#, #""\U0041""#,
            // Lone or invalid surrogate escapes.
            #""\ud800""#, #""\ud800x""#, #""\ud800\u0041""#, #""\udc00""#, #""\udc00\ud800""#, #""\ud800\ud800""#,
            // Unterminated.
            #""unterminated"#, #""ends in backslash\"#,
        ]
        for s in bad {
            #expect(throws: JSONError.self, "\(s.debugDescription)") { try document(s) }
            #expect(throws: JSONError.self, "key \(s.debugDescription)") { try document("{\(s):1}") }
            #expect(throws: JSONError.self, "key code \(s.debugDescription)") { try membersByCode(Array("{\(s):1}".utf8)) }
        }
        // Invalid UTF-8: a stray continuation byte, an overlong form, an encoded surrogate, a cut
        // sequence, bytes that never occur — in a value and in a key.
        let invalid: [[UInt8]] = [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE4, 0xB8], [0xFF], [0xF5, 0x80, 0x80, 0x80]]
        for b in invalid {
            for (open, close) in [("\"", "\""), ("{\"", "\":1}"), ("[\"", "\"]")] {
                let bytes = Array(open.utf8) + b + Array(close.utf8)
                if open == "{\"" {
                    #expect(throws: JSONError.self, "key code \(bytes)") { try membersByCode(bytes) }
                }
                #expect(throws: JSONError.self, "\(bytes)") {
                    try JSONReader.read(bytes) { (r: inout JSONReader) throws(JSONError) in
                        try r.skipValue()
                        try r.expectEnd()
                    }
                }
            }
        }
    }

    @Test func validStringsAreAccepted() throws {
        let good: [(String, String)] = [
            (#""\ud83d\ude00""#, "😀"), (#""\u4e2d文""#, "中文"), (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
            (#""""#, ""), ("\"\u{7F}\"", "\u{7F}"),
        ]
        for (json, value) in good {
            let s = try JSONReader.read(Array(json.utf8)) { (r: inout JSONReader) throws(JSONError) -> String in
                let s = try r.readString()
                try r.expectEnd()
                return s
            }
            #expect(s == value)
        }
    }

    @Test func structureRFC8259RefusesIsRefused() {
        let bad = [
            "[1,]", "[1,,2]", "[,1]", #"{"a":1,}"#, #"{,"a":1}"#, #"{"a":1,,"b":2}"#, #"{"a" 1}"#, #"{"a":}"#, #"{a:1}"#,
            #"{'a':1}"#, "[1 2]", "[", "]", "{", "}", "", " ", "x", "x[]", "[]x", "[] []", "{}{}", "[1]]", "\u{FEFF}[]",
            "tru", "truex", "nul", "nulll", "True", "[true false]", "\u{C}[]", "[\u{A0}1]", "/* */[]", "[1]//",
        ]
        for s in bad { #expect(throws: JSONError.self, "\(s.debugDescription)") { try document(s) } }
        for s in ["[]", "{}", " [ ] ", "\t\r\n{\"a\" : [ 1 , { } ] }\n", "null", "true", "\"x\"", #"{"":0}"#] {
            #expect(throws: Never.self, "\(s.debugDescription)") { try document(s) }
        }
    }
}
