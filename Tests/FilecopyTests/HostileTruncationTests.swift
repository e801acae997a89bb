import FilecopyWire
import Testing
import TestSupport

/// A stream cut short at every byte: between records (or inside a header) the answer is
/// EREMOTEIO (121); inside a name, body or link target it is 31415926 (exit status 118).
/// Complete records stay; the cut record leaves nothing, under its name or any other.
@Suite("Hostile truncation")
struct HostileTruncationTests {
    /// One record of the reference stream and where its parts end.
    struct Span: Sendable {
        var entry: String
        var start: Int
        var headerEnd: Int
        var end: Int
    }

    /// A small valid stream: a file, a directory holding a symlink and a file, the closing
    /// directory header, and the end header. Returns the bytes and each record's span.
    static let reference: (bytes: [UInt8], spans: [Span]) = {
        var builder = StreamBuilder()
        var spans: [Span] = []
        func add(_ entry: String, _ write: (inout StreamBuilder) -> Void) {
            let start = builder.bytes.count
            write(&builder)
            spans.append(Span(entry: entry, start: start, headerEnd: start + 32, end: builder.bytes.count))
        }
        add("one.txt") { $0.file("one.txt", "hello\n") }
        add("d/") { $0.directory("d") }
        add("d/link@") { $0.symlink("d/link", to: "two") }
        add("d/two") { $0.file("d/two", "xyz") }
        add("d/") { $0.directory("d") }
        add("") { $0.end() }
        return (builder.bytes, spans)
    }()

    /// What cutting the reference stream to `length` bytes must give: the code, and the
    /// entries that were complete.
    static func expected(forPrefix length: Int) -> (code: UInt32, tree: Set<String>) {
        var tree: Set<String> = []
        for span in reference.spans {
            if length >= span.end {
                if !span.entry.isEmpty { tree.insert(span.entry) }
                continue
            }
            // Cut inside this record.
            let betweenRecords = length < span.headerEnd
            return (betweenRecords ? 121 : 31_415_926, tree)
        }
        preconditionFailure("the whole stream is not a prefix")
    }

    @Test(arguments: 0..<reference.bytes.count)
    func everyPrefixIsRefused(_ length: Int) throws {
        let fixture = try HostileFixture()
        let before = fixture.outsideSnapshot()
        let wire = Array(Self.reference.bytes.prefix(length))
        let (code, tree) = Self.expected(forPrefix: length)
        let received = try fixture.receive(wire)
        expectAnswer(received, wire: wire, codes: [code], lastName: nil)
        // The receiver consumed everything there was.
        #expect(received.result?.crc32 == CRC32.checksum(wire), "CRC is not that of the whole prefix")
        #expect(received.finished.status == (code == 121 ? 121 : 118))
        expectConfined(fixture, before: before, absent: [], tree: tree)
    }

    /// The control: the whole stream arrives.
    @Test func wholeReferenceStreamArrives() throws {
        let fixture = try HostileFixture()
        let wire = Self.reference.bytes
        let received = try fixture.receive(wire)
        expectAnswer(received, wire: wire, codes: [0], lastName: bytes("d"))
        #expect(fixture.incomingTree() == ["one.txt", "d/", "d/link@", "d/two"])
    }

    /// A large body cut in the middle: the file is not visible under its name or any other.
    @Test func largeBodyCutInTheMiddleLeavesNothing() throws {
        let fixture = try HostileFixture()
        var builder = StreamBuilder()
        builder.directory("d")
        builder.record(name: bytes("d/big"), mode: 0o100644, fileLength: 4 << 20, body: Array(repeating: 0x41, count: 1 << 20))
        let received = try fixture.receive(builder.bytes)
        expectAnswer(received, wire: builder.bytes, codes: [31_415_926], lastName: nil)
        #expect(received.result?.crc32 == builder.crc32)
        #expect(fixture.incomingTree() == ["d/"])
    }
}
