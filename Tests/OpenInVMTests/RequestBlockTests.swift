import OpenInVM
import Testing

@Suite struct RequestBlockTests {
    @Test func shortNameIsZeroPadded() {
        let encoded = RequestBlock(basename: Array("a.txt".utf8), viewOnly: false).encoded
        #expect(encoded.count == 256)
        #expect(Array(encoded.prefix(5)) == Array("a.txt".utf8))
        #expect(encoded.dropFirst(5).allSatisfy { $0 == 0 })
    }

    @Test(arguments: [false, true])
    func longNameKeepsItsEnd(viewOnly: Bool) {
        let name = Array(String(repeating: "x", count: 300).utf8) + Array(".odt".utf8)
        let encoded = RequestBlock(basename: name, viewOnly: viewOnly).encoded
        let room = viewOnly ? 245 : 255
        let prefix = viewOnly ? Array("view-only-".utf8) : []
        #expect(encoded.count == 256)
        #expect(encoded[255] == 0)
        #expect(Array(encoded.prefix(255)) == prefix + Array(name.suffix(room)))
    }

    /// Issue 14 item 4: in edit mode the block never starts with `view-only-`, which the
    /// service (ours and Qubes') reads as the view-only flag: the name goes as `view-only_...`.
    @Test func editNameStartingWithTheViewOnlyPrefixIsNotSentAsViewOnly() {
        let encoded = RequestBlock(basename: Array("view-only-notes.txt".utf8), viewOnly: false).encoded
        #expect(Array(encoded.prefix(20)) == Array("view-only_notes.txt".utf8) + [0])
        #expect(RequestBlock.decode(encoded)?.viewOnly == false)
    }

    /// Issue 14 item 4: the same after a long name is cut to its last 255 bytes, whose start
    /// happens to be `view-only-`.
    @Test func shortenedNameStartingWithTheViewOnlyPrefixIsNotSentAsViewOnly() {
        let tail = Array("view-only-".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 241) + Array(".odt".utf8)
        let name = [UInt8](repeating: UInt8(ascii: "y"), count: 40) + tail
        let encoded = RequestBlock(basename: name, viewOnly: false).encoded
        #expect(Array(encoded.prefix(255)) == Array("view-only_".utf8) + tail.dropFirst(10))
        #expect(encoded[255] == 0)
        #expect(RequestBlock.decode(encoded)?.viewOnly == false)
    }

    /// Issue 14 item 4: in view-only mode the name is left as it is, after the flag.
    @Test func viewOnlyNameStartingWithThePrefixKeepsIt() {
        let decoded = RequestBlock.decode(RequestBlock(basename: Array("view-only-notes.txt".utf8), viewOnly: true).encoded)
        #expect(decoded?.viewOnly == true)
        #expect(decoded?.untrustedName == Array("view-only-notes.txt".utf8))
    }

    @Test func decodeReadsPrefixAndStopsAtNul() {
        var block = Array("view-only-report.pdf".utf8)
        block += [0] + Array("junk".utf8)
        block += [UInt8](repeating: 0x41, count: 256 - block.count)
        let decoded = RequestBlock.decode(block)
        #expect(decoded?.viewOnly == true)
        #expect(decoded?.untrustedName == Array("report.pdf".utf8))
    }

    @Test func byte255IsNeverPartOfTheName() {
        let decoded = RequestBlock.decode([UInt8](repeating: 0x61, count: 256))
        #expect(decoded?.untrustedName.count == 255)
    }

    @Test(arguments: [0, 1, 255, 257])
    func wrongSizeIsRejected(size: Int) {
        #expect(RequestBlock.decode([UInt8](repeating: 0, count: size)) == nil)
    }

    @Test func roundTrip() {
        let block = RequestBlock(basename: Array("My Doc (1).txt".utf8), viewOnly: true)
        let decoded = RequestBlock.decode(block.encoded)
        #expect(decoded?.viewOnly == true)
        #expect(decoded?.untrustedName == block.name)
    }
}

@Suite struct ServiceFileNameTests {
    @Test(arguments: [
        ("My Doc (1).txt", "My_Doc__1_.txt"),
        ("../x", ".._x"),
        ("a/b/c.pdf", "a_b_c.pdf"),
        ("keep.+@-_9Z.tar.gz", "keep.+@-_9Z.tar.gz"),
        ("zażółć.odt", "za________.odt"),
        ("tab\there\n.txt", "tab_here_.txt"),
        ("", "file"),
        (".", "file"),
        ("..", "file"),
        ("...", "file"),
        (".hidden", ".hidden"),
    ])
    func sanitised(input: String, expected: String) {
        #expect(ServiceFileName.sanitised(Array(input.utf8)) == Array(expected.utf8))
    }

    @Test func everyByteMapsToAnAllowedOne() {
        let allowed = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._+@-".utf8)
        let result = ServiceFileName.sanitised((1...255).map { UInt8($0) })
        #expect(result.count == 255)
        #expect(result.allSatisfy { allowed.contains($0) })
    }
}

@Suite struct ContentFingerprintTests {
    @Test func sameBytesSameFingerprintWhateverTheChunks() {
        var whole = ContentFingerprint()
        whole.add(Array("original\nedited\n".utf8))
        var pieces = ContentFingerprint()
        pieces.add(Array("origi".utf8))
        pieces.add(Array("nal\nedited\n".utf8))
        #expect(whole == pieces)
        #expect(whole.size == 16)
    }

    @Test(arguments: ["original\n", "Original\n", "original", "original\n\n", ""])
    func differentContentDiffers(other: String) {
        var base = ContentFingerprint()
        base.add(Array("original\nx".utf8))
        var changed = ContentFingerprint()
        changed.add(Array(other.utf8))
        #expect(base != changed)
    }
}
