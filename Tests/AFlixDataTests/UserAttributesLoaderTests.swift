import AFlixData
import Foundation
import Testing
import _AFlixTestSupport

@Suite("u.user loader")
struct UserAttributesLoaderTests {
  /// A temporary file holding exactly `bytes`.
  static func file(_ bytes: [UInt8], named name: String = "u.user") throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("aflix-users-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
  }

  static func file(_ text: String) throws -> URL { try file(Array(text.utf8)) }

  @Test func readsEveryFieldAndKeepsZipCodesAsText() throws {
    // Latin-1 byte 0xE9 in an occupation: not valid UTF-8, so the file is read as latin-1.
    let bytes =
      Array("1|24|M|technician|85711\n2|53|F|caf".utf8) + [0xE9]
      + Array("|05201\r\n\n3|7||| \n".utf8)
    let table = try MovieLens100KLoader.loadUsers(file: try Self.file(bytes))
    #expect(table.count == 3)
    #expect(
      table.attributes(of: 1)
        == UserAttributes(id: 1, age: 24, gender: "M", occupation: "technician", zipCode: "85711"))
    let second = try #require(table.attributes(of: 2))
    #expect(second.occupation == "caf\u{E9}")
    #expect(second.zipCode == "05201")  // the leading zero is kept
    // Empty gender, occupation and zip code are nil.
    #expect(table.attributes(of: 3) == UserAttributes(id: 3, age: 7))
    #expect(table.attributes(of: 3)?.ageBand == .under18)
    // Unknown ids, and ids of another spelling, are not there.
    #expect(table.attributes(of: 4) == nil)
    #expect(table.attributes(of: "1") == nil)
    #expect(table.all.map(\.id) == [1, 2, 3])
  }

  @Test func loadsFromAFolder() throws {
    let url = try Self.file("5|33|F|other|15213\n")
    let table = try MovieLens100KLoader.loadUsers(folder: url.deletingLastPathComponent())
    #expect(table.attributes(of: 5)?.gender == "F")
    let missing = try #require(throws: DataError.self) {
      try MovieLens100KLoader.loadUsers(
        folder: FileManager.default.temporaryDirectory.appendingPathComponent(
          "aflix-no-such-\(UUID().uuidString)"))
    }
    #expect(missing.kind == .fileNotFound)
  }

  /// Each malformed line is reported with its kind, file, line, field and value.
  @Test(
    arguments: [
      ("1|24|M|technician|85711\n2|53|F|other\n", DataError.Kind.missingColumn, 2, "zip code", nil),
      ("1|24|M|technician|85711|x\n", .extraColumn, 1, "column 6", "x"),
      ("1|24|M|technician|85711\n2|abc|F|other|1\n", .nonNumericValue, 2, "age", "abc"),
      ("1||M|technician|85711\n", .nonNumericValue, 1, "age", ""),
      ("one|24|M|technician|85711\n", .nonNumericValue, 1, "user id", "one"),
      ("1|24|M|a|1\n\n1|30|F|b|2\n", .duplicateRating, 3, "user id", "1"),
      ("1|200|M|a|1\n", .outOfScale, 1, "age", "200"),
      ("1|-1|M|a|1\n", .outOfScale, 1, "age", "-1"),
    ] as [(String, DataError.Kind, Int, String, String?)])
  func malformedLinesThrowTypedErrors(
    text: String, kind: DataError.Kind, line: Int, field: String, value: String?
  ) throws {
    let error = try #require(throws: DataError.self) {
      try MovieLens100KLoader.loadUsers(file: try Self.file(text))
    }
    #expect(error.kind == kind)
    #expect(error.file == "u.user")
    #expect(error.line == line)
    #expect(error.field == field)
    if let value { #expect(error.value == value) }
  }

  @Test func emptyFilesAreRefused() throws {
    for text in ["", "\n  \n"] {
      let error = try #require(throws: DataError.self) {
        try MovieLens100KLoader.loadUsers(file: try Self.file(text))
      }
      #expect(error.kind == .emptyFile)
    }
  }

  @Test func ageBandsFollowMovieLens1M() {
    // The bands' lower bounds, written out independently of `AgeBand.init(age:)`.
    let lowerBounds = [0, 18, 25, 35, 45, 50, 56]
    for age in -3...120 {
      let expected = lowerBounds.lastIndex { $0 <= age } ?? 0
      #expect(AgeBand(age: age).rawValue == expected, "age \(age)")
    }
    #expect(AgeBand.allCases.map(\.description).first == "under 18")
    #expect(AgeBand.from56.description == "56+")
  }

  @Test func tableRefusesRepeatedIDsAndRoundTripsThroughJSON() throws {
    let error = try #require(throws: DataError.self) {
      try UserAttributeTable([UserAttributes(id: 1), UserAttributes(id: 1, age: 3)])
    }
    #expect(error.kind == .invalidArgument)
    let table = try UserAttributeTable([
      UserAttributes(id: 1, age: 30, gender: "F"), UserAttributes(id: "x", occupation: "writer"),
    ])
    let decoded = try JSONDecoder().decode(
      UserAttributeTable.self, from: try JSONEncoder().encode(table))
    #expect(decoded == table)
    #expect(decoded.attributes(of: "x")?.occupation == "writer")
    let repeated = Data(#"[{"id":1},{"id":1}]"#.utf8)
    #expect(throws: DataError.self) {
      try JSONDecoder().decode(UserAttributeTable.self, from: repeated)
    }
  }

  @Test(.enabled(if: TestData.hasMovieLens100K, "needs MovieLens 100k (AFLIX_DATA)"))
  func readsTheRealFile() throws {
    let table = try MovieLens100KLoader.loadUsers(folder: TestData.movieLens100K)
    let ratings = try MovieLens100KLoader.loadRatings(
      file: TestData.movieLens100K.appendingPathComponent("u.data"))
    // Every rating user has attributes, and the table holds no one else.
    #expect(table.count == ratings.userCount)
    for id in ratings.users.ids { #expect(table.attributes(of: id) != nil, "user \(id)") }
    #expect(Set(table.all.compactMap(\.gender)) == ["M", "F"])
    #expect(table.all.allSatisfy { ($0.age ?? -1) > 0 && $0.occupation != nil })
  }
}
