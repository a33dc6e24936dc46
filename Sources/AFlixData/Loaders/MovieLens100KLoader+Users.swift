import Foundation

extension MovieLens100KLoader {
  /// `u.user`'s column names, as MovieLens' README gives them.
  static let userColumns = ["user id", "age", "gender", "occupation", "zip code"]

  /// Reads the `u.user` file of a MovieLens 100k folder.
  ///
  /// - Throws: what ``loadUsers(file:)`` throws (`.fileNotFound` when the folder has no `u.user`).
  public static func loadUsers(folder: URL) throws -> UserAttributeTable {
    try loadUsers(file: folder.appendingPathComponent("u.user"))
  }

  /// Reads a `u.user` file: `user id|age|gender|occupation|zip code` lines (latin-1, or UTF-8
  /// when the file is valid UTF-8).
  ///
  /// ```swift
  /// let users = try MovieLens100KLoader.loadUsers(file: URL(fileURLWithPath: "ml-100k/u.user"))
  /// users.attributes(of: 1)?.age   // 24
  /// ```
  ///
  /// Every line must be well formed (there is no lenient mode): the first bad line throws. An
  /// empty gender, occupation or zip code is kept as `nil`.
  ///
  /// - Throws: ``DataError`` naming the file, line, field and value: `.missingColumn` for fewer
  ///   than 5 fields, `.extraColumn` for more, `.nonNumericValue` for a user id or age that is not
  ///   an integer, `.outOfScale` for an age outside 0…150, `.duplicateRating` for a repeated user
  ///   id (as for repeated movie ids in a catalog), `.emptyFile`, and the file errors of
  ///   `TextLineReader` (`.fileNotFound`, `.malformedLine` …).
  public static func loadUsers(file: URL) throws -> UserAttributeTable {
    let text = try TextLineReader(contentsOf: file)
    guard try text.hasContent() else {
      throw DataError(.emptyFile, file: text.fileName, message: "the file is empty")
    }
    let utf8 = try text.isValidUTF8()
    let fileName = text.fileName
    var users: [UserAttributes] = []
    var lineOfID: [EntityID: Int] = [:]
    var fields: [Range<Int>] = []
    try text.forEachLine { number, line in
      func decode(_ range: Range<Int>) -> String {
        let bytes = UnsafeBufferPointer(rebasing: line[range])
        return utf8 ? String(decoding: bytes, as: UTF8.self) : ByteParsing.latin1String(bytes)
      }
      ByteParsing.split(line, separator: UInt8(ascii: "|"), into: &fields)
      guard fields.count >= userColumns.count else {
        throw DataError.missingField(
          file: fileName, line: number, names: userColumns, found: fields.count,
          lineText: decode(0..<line.count))
      }
      guard fields.count == userColumns.count else {
        throw DataError(
          .extraColumn, file: fileName, line: number, field: "column \(userColumns.count + 1)",
          value: decode(fields[userColumns.count]),
          message: "expected \(userColumns.count) fields, found \(fields.count)")
      }
      guard let id = ByteParsing.parseInt(line, fields[0]) else {
        throw DataError(
          .nonNumericValue, file: fileName, line: number, field: userColumns[0],
          value: decode(fields[0]), message: "not an integer id")
      }
      guard let age = ByteParsing.parseInt(line, fields[1]) else {
        throw DataError(
          .nonNumericValue, file: fileName, line: number, field: userColumns[1],
          value: decode(fields[1]), message: "not an integer age")
      }
      guard (0...150).contains(age) else {
        throw DataError(
          .outOfScale, file: fileName, line: number, field: userColumns[1],
          value: decode(fields[1]), message: "an age must be between 0 and 150")
      }
      if let previous = lineOfID.updateValue(number, forKey: .int(id)) {
        throw DataError(
          .duplicateRating, file: fileName, line: number, field: userColumns[0],
          value: String(id), message: "user \(id) is already listed on line \(previous)")
      }
      func text(_ k: Int) -> String? {
        let value = decode(ByteParsing.trimmed(line, fields[k]))
        return value.isEmpty ? nil : value
      }
      users.append(
        UserAttributes(
          id: .int(id), age: age, gender: text(2), occupation: text(3), zipCode: text(4)))
    }
    return try UserAttributeTable(users)
  }
}
