import Foundation
import Testing

@testable import AFlixData

#if canImport(Glibc)
  import Glibc
#endif

/// Files are read in bounded chunks: bad files fail at their first bad line, fast, and lines
/// are the same whatever the chunk size.
struct StreamingReadTests {
  /// A fresh temporary file holding `bytes`.
  static func file(named name: String, bytes: [UInt8]) throws -> URL {
    let url = try Fixtures.temporaryFile(named: name, contents: "")
    try Data(bytes).write(to: url)
    return url
  }

  /// The lines `reader` delivers, as (number, text).
  static func lines(_ reader: TextLineReader) throws -> [(Int, String)] {
    var out: [(Int, String)] = []
    try reader.forEachLine { number, line in
      out.append((number, String(decoding: line, as: UTF8.self)))
    }
    return out
  }

  @Test func aFileOfZerosFailsAtLineOneFast() throws {
    let url = try Self.file(named: "zeros.csv", bytes: [UInt8](repeating: 0, count: 6 << 20))
    let start = ContinuousClock.now
    let error = try #require(throws: DataError.self) { try DatasetLoader.load(path: url.path) }
    let elapsed = ContinuousClock.now - start
    #expect(error.kind == .malformedLine)
    #expect(error.line == 1)
    #expect(error.file == "zeros.csv")
    #expect(error.description.contains("NUL"))
    #expect(elapsed < .seconds(2), "took \(elapsed)")
  }

  @Test func zerosAreRejectedInLenientModeToo() throws {
    let url = try Self.file(named: "ratings.csv", bytes: [UInt8](repeating: 0, count: 1 << 20))
    let error = try #require(throws: DataError.self) {
      try MovieLensCSVLoader.loadRatings(file: url, options: LoadOptions(strictness: .lenient))
    }
    #expect(error.kind == .malformedLine)
    #expect(error.line == 1)
  }

  @Test func aLineLongerThanTheMaximumIsMalformedAtItsNumber() throws {
    let long = String(repeating: "9", count: 300)
    let text = "userId,movieId,rating,timestamp\n1,2,3.5,10\n1,\(long),4,11\n2,2,4,12\n"
    let url = try Fixtures.temporaryFile(named: "ratings.csv", contents: text)
    let options = LoadOptions(maximumLineLength: 100)
    let error = try #require(throws: DataError.self) {
      try MovieLensCSVLoader.loadRatings(file: url, options: options)
    }
    #expect(error.kind == .malformedLine)
    #expect(error.line == 3)
    #expect(error.description.contains("100 bytes"))
    // Within the limit, the same line is an ordinary (too large) id.
    let loose = try #require(throws: DataError.self) {
      try MovieLensCSVLoader.loadRatings(file: url, options: LoadOptions())
    }
    #expect(loose.kind != .malformedLine)
  }

  @Test func aLineAtTheMaximumIsAccepted() throws {
    let reader = try TextLineReader(
      contentsOf: Self.file(
        named: "exact.txt",
        bytes: Array((String(repeating: "a", count: 10) + "\r\n" + "b\n").utf8)),
      maximumLineLength: 10, chunkSize: 3)
    let lines = try Self.lines(reader)
    #expect(lines.map(\.1) == [String(repeating: "a", count: 10), "b"])
  }

  @Test func aNULInTheMiddleOfLineThreeIsMalformedAtLineThree() throws {
    var bytes = Array("userId,movieId,rating,timestamp\n1,2,3.5,10\n1,".utf8)
    bytes += [0] + Array("3,4,11\n2,2,4,12\n".utf8)
    let url = try Self.file(named: "ratings.csv", bytes: bytes)
    let error = try #require(throws: DataError.self) {
      try MovieLensCSVLoader.loadRatings(file: url)
    }
    #expect(error.kind == .malformedLine)
    #expect(error.line == 3)
    #expect(error.value?.contains("\\0") == true)
  }

  @Test(arguments: [1, 2, 3, 5, 7, 16, 4096])
  func linesSpanningChunkBoundariesReadTheSame(chunkSize: Int) throws {
    let text = "\u{FEFF}first line\r\n\n  \nsecond,line,é\r\nthird\nlast without newline"
    let url = try Fixtures.temporaryFile(named: "lines.txt", contents: text)
    let reader = try TextLineReader(
      contentsOf: url, maximumLineLength: 64, chunkSize: chunkSize)
    let lines = try Self.lines(reader)
    #expect(lines.map(\.0) == [1, 4, 5, 6])
    #expect(lines.map(\.1) == ["first line", "second,line,é", "third", "last without newline"])
  }

  @Test func crlfAndBOMFilesLoadLikePlainOnes() throws {
    let plain = "userId,movieId,rating,timestamp\n1,10,4,100\n2,10,3.5,200\n"
    let crlf = "\u{FEFF}" + plain.replacingOccurrences(of: "\n", with: "\r\n")
    let a = try MovieLensCSVLoader.loadRatings(
      file: Fixtures.temporaryFile(named: "ratings.csv", contents: plain))
    let b = try MovieLensCSVLoader.loadRatings(
      file: Fixtures.temporaryFile(named: "ratings.csv", contents: crlf))
    #expect(a.allRatings() == b.allRatings())
    #expect(b.ratingCount == 2)
  }

  @Test func aFIFOGivenAsARatingsFileIsRefusedWithoutBlocking() throws {
    let folder = try Fixtures.temporaryFile(named: "x", contents: "").deletingLastPathComponent()
    let fifo = folder.appendingPathComponent("ratings.csv")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    for load in [
      { try MovieLensCSVLoader.loadRatings(file: fifo) },
      { try DatasetLoader.load(path: fifo.path).ratings! },
      { try DelimitedRatingsLoader.loadRatings(file: fifo) },
    ] as [() throws -> RatingsDataset] {
      let error = try #require(throws: DataError.self) { try load() }
      #expect(error.kind == .notRegularFile)
      #expect(error.description.contains("FIFO"))
    }
  }

  @Test func aFolderGivenAsARatingsFileIsRefused() throws {
    let folder = try Fixtures.temporaryFile(named: "x", contents: "").deletingLastPathComponent()
    let inner = folder.appendingPathComponent("ratings.csv")
    try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
    let error = try #require(throws: DataError.self) {
      try MovieLensCSVLoader.loadRatings(file: inner)
    }
    #expect(error.kind == .notRegularFile)
    let dat = try #require(throws: DataError.self) {
      try MovieLensDatLoader.loadRatings(file: inner)
    }
    #expect(dat.kind == .notRegularFile)
  }

  @Test func aMissingFileIsFileNotFound() throws {
    let folder = try Fixtures.temporaryFile(named: "x", contents: "").deletingLastPathComponent()
    let error = try #require(throws: DataError.self) {
      try MovieLens100KLoader.loadRatings(file: folder.appendingPathComponent("u.data"))
    }
    #expect(error.kind == .fileNotFound)
  }
}
