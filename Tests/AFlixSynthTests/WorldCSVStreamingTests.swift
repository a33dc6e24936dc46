import AFlixData
import AFlixLinalg
import Foundation
import Testing

@testable import AFlixSynth

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// movies.csv and profiles.csv are read in bounded chunks: a bad file fails at its first bad
/// line (a NUL byte, a record over 1 MiB, a bad header or field count) with small memory, a FIFO
/// is refused without blocking, and chunk boundaries never change what is read (issue #10).
@Suite struct WorldCSVStreamingTests {
  /// A small world written to a new folder.
  static func writtenWorld(users: Int = 200) throws -> URL {
    let folder = try Worlds.temporaryFolder()
    let world = try SyntheticWorld.generate(WorldConfiguration(users: users), seed: 3)
    try WorldWriter.write(world, to: folder)
    return folder
  }

  /// The error loading `folder` throws.
  static func loadError(_ folder: URL) throws -> SynthError {
    try #require(throws: SynthError.self) { try SyntheticWorld.load(from: folder) }
  }

  /// The reader before streaming (whole buffer, byte by byte), as an independent oracle.
  static func reference(_ bytes: [UInt8]) -> [[String]]? {
    var records: [[String]] = []
    var fields: [String] = []
    var field: [UInt8] = []
    var quoted = false
    var wasQuoted = false
    var i = 0
    func endField() {
      fields.append(String(decoding: field, as: UTF8.self))
      field.removeAll()
      wasQuoted = false
    }
    func endRecord() {
      if fields.isEmpty && field.isEmpty && !wasQuoted { return }
      endField()
      records.append(fields)
      fields = []
    }
    while i < bytes.count {
      let byte = bytes[i]
      if quoted {
        if byte == 34 {
          if i + 1 < bytes.count && bytes[i + 1] == 34 {
            field.append(34)
            i += 1
          } else {
            quoted = false
          }
        } else {
          field.append(byte)
        }
      } else if byte == 44 {
        endField()
      } else if byte == 10 {
        endRecord()
      } else if byte == 13 && i + 1 < bytes.count && bytes[i + 1] == 10 {
      } else if byte == 34 && field.isEmpty && !wasQuoted {
        quoted = true
        wasQuoted = true
      } else {
        field.append(byte)
      }
      i += 1
    }
    if quoted { return nil }
    endRecord()
    return records
  }

  /// Records and their first lines, parsed `chunk` bytes at a time; `nil` on a failure.
  static func parse(_ bytes: [UInt8], chunk: Int) -> (records: [[String]], lines: [Int])? {
    var parser = CSVRecordParser(maximumRecordLength: .max, rejectsNUL: false)
    var records: [[String]] = []
    var lines: [Int] = []
    func take(_ record: [String], _ line: Int) {
      records.append(record)
      lines.append(line)
    }
    do {
      var start = 0
      while start < bytes.count {
        let end = min(bytes.count, start + chunk)
        try bytes[start..<end].withUnsafeBufferPointer { try parser.feed($0, take) }
        start = end
      }
      try parser.finish(take)
    } catch {
      return nil
    }
    return (records, lines)
  }

  @Test func moviesOfZerosFailAtLineOneFast() throws {
    let folder = try Self.writtenWorld()
    defer { try? FileManager.default.removeItem(at: folder) }
    let movies = folder.appendingPathComponent("movies.csv")
    try Data(count: 5_000_000).write(to: movies)
    let error = try Self.loadError(folder)
    #expect(error.kind == .invalidFile && error.parameter == "movies.csv")
    #expect(error.message.hasPrefix("line 1: ") && error.message.contains("NUL"))
    // Directly: one chunk read at most, far from the whole-file read's seconds.
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      #expect(throws: SynthError.self) {
        try CSVReader.rows(of: movies, header: WorldWriter.moviesHeader)
      }
    }
    #expect(elapsed < .seconds(2))
  }

  @Test func aNULOnLineThreeOfProfilesIsReportedThere() throws {
    let folder = try Self.writtenWorld()
    defer { try? FileManager.default.removeItem(at: folder) }
    let profiles = folder.appendingPathComponent("profiles.csv")
    var bytes = Array(try Data(contentsOf: profiles))
    let lineStarts = [0] + bytes.indices.filter { bytes[$0] == 10 }.map { $0 + 1 }
    bytes[lineStarts[2] + 1] = 0
    try Data(bytes).write(to: profiles)
    let error = try Self.loadError(folder)
    #expect(error.parameter == "profiles.csv")
    #expect(error.message.hasPrefix("line 3: ") && error.message.contains("NUL"))
  }

  @Test func aTwoMebibyteLineFailsAtItsLine() throws {
    let folder = try Self.writtenWorld()
    defer { try? FileManager.default.removeItem(at: folder) }
    let movies = folder.appendingPathComponent("movies.csv")
    var text = Array((WorldWriter.moviesHeader + "\n1,a,Drama,1,1,2000\n").utf8)
    text += [UInt8](repeating: UInt8(ascii: "x"), count: 2 << 20) + [10]
    try Data(text).write(to: movies)
    let error = try Self.loadError(folder)
    #expect(error.parameter == "movies.csv")
    #expect(
      error.message.hasPrefix("line 3: ")
        && error.message.contains("\(LoadOptions.defaultMaximumLineLength) bytes"))
  }

  /// A long record fails once the limit is passed, whatever follows: at most the limit is held.
  @Test func aLongRecordFailsAfterAtMostTheLimit() throws {
    let limit = 1 << 16
    var parser = CSVRecordParser(maximumRecordLength: limit, rejectsNUL: true)
    let chunk = [UInt8](repeating: UInt8(ascii: "y"), count: 1 << 12)
    var fed = 0
    var failure: CSVRecordParser.Failure? = nil
    do {
      while fed < 50 * limit {
        try chunk.withUnsafeBufferPointer { try parser.feed($0) { _, _ in } }
        fed += chunk.count
      }
    } catch let error as CSVRecordParser.Failure {
      failure = error
    }
    #expect(failure?.line == 1)
    #expect(fed <= limit)
    // A quoted record spanning lines counts all its bytes and is reported where it starts.
    var quoted = CSVRecordParser(maximumRecordLength: 10, rejectsNUL: true)
    let text = Array("a\nb,\"1\n2\n3\n4\n5\n6\"\n".utf8)
    let error = try #require(throws: CSVRecordParser.Failure.self) {
      try text.withUnsafeBufferPointer { try quoted.feed($0) { _, _ in } }
    }
    #expect(error.line == 2)
  }

  @Test func errorsNameTheLineTheRecordStartsOn() throws {
    let folder = try Worlds.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("t.csv")
    func error(_ text: String) throws -> String {
      try Data(text.utf8).write(to: url)
      return try #require(throws: SynthError.self) {
        try CSVReader.rows(of: url, header: "a,b", chunkSize: 3)
      }.message
    }
    #expect(try error("a,b\n1,\"x\ny\"\n\n2\n").hasPrefix("line 5: the record has 1 field"))
    #expect(try error("a,b\r\n1,2\r\n3,\"open\n\n").hasPrefix("line 3: a quoted field"))
    // The header is checked before anything after it is read: the NUL is never reached.
    #expect(try error("a,c\n1,\0\n").hasPrefix("line 1: the header is not a,b"))
    #expect(try error("").contains("the header is not a,b"))
    #expect(try error("\n\na,b\n1,\0").hasPrefix("line 4: a NUL"))
  }

  /// Chunks of 1, 2 and 7 bytes give the records the whole-buffer reader gave, on random text
  /// full of quotes, commas and line ends.
  @Test(arguments: [1, 2, 7])
  func chunkBoundariesDoNotChangeTheRecords(chunk: Int) throws {
    var generator = SeededGenerator(seed: UInt64(chunk))
    let alphabet = Array("ab\",\"\n\r\n,é".utf8)
    for _ in 0..<300 {
      let length = Int(generator.next() % 40)
      let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
      let expected = Self.reference(bytes)
      let parsed = Self.parse(bytes, chunk: chunk)
      #expect(parsed?.records == expected, "\(bytes)")
      #expect(CSVReader.records(in: bytes) == expected)
      if let whole = Self.parse(bytes, chunk: max(1, bytes.count)) {
        #expect(parsed?.lines == whole.lines)
      }
    }
    // Through a file: quoted commas, doubled quotes, line breaks and CRLF.
    let folder = try Worlds.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("m.csv")
    let text = "id,title\r\n1,\"a, \"\"b\"\"\r\nc\"\r\n\r\n2,plain\n3,\"\"\n"
    try Data(text.utf8).write(to: url)
    let rows = try CSVReader.rows(of: url, header: "id,title", chunkSize: chunk)
    #expect(rows == Array(try #require(Self.reference(Array(text.utf8))).dropFirst()))
    #expect(rows == (try CSVReader.rows(of: url, header: "id,title")))
  }

  @Test(.timeLimit(.minutes(1))) func aFIFOIsRefusedWithoutBlocking() throws {
    // A small world: the limit guards against blocking on the FIFO, not against a loaded
    // machine generating and writing a large one.
    let folder = try Self.writtenWorld(users: 20)
    defer { try? FileManager.default.removeItem(at: folder) }
    let movies = folder.appendingPathComponent("movies.csv")
    try FileManager.default.removeItem(at: movies)
    #expect(mkfifo(movies.path, 0o600) == 0)
    let error = try Self.loadError(folder)
    #expect(error.parameter == "movies.csv" && error.message.contains("FIFO"))
    #expect(!error.description.contains("movies.csv: movies.csv"))
    // A link loop names itself too.
    try FileManager.default.removeItem(at: movies)
    try FileManager.default.createSymbolicLink(
      atPath: movies.path, withDestinationPath: "movies.csv")
    #expect(try Self.loadError(folder).message.contains("link loop"))
  }
}
