import AFlix
import Foundation

/// How `aflix recommend` and `aflix similar` print a list: a table, or with `--json` one JSON
/// array, best first, of `{"item_id": "<id as the dataset spells it>", "score": …, "source": …}`.
/// Notes (ignored ids, fallbacks) go to standard error, never into the array.
enum ServingOutput {
  /// One entry of the JSON array.
  private struct Entry: Encodable {
    var itemID: String
    var score: Float
    var source: String

    enum CodingKeys: String, CodingKey {
      case itemID = "item_id"
      case score
      case source
    }
  }

  /// The list as text: the JSON array, or a table with a heading line.
  static func render(_ result: Recommendations, heading: String, json: Bool) throws -> String {
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      let entries = result.items.map {
        Entry(itemID: $0.item.description, score: $0.score, source: result.source.rawValue)
      }
      return String(decoding: try encoder.encode(entries), as: UTF8.self)
    }
    var lines = [heading]
    for (rank, item) in result.items.enumerated() {
      let id = DataError.escapingControlCharacters(item.item.description)
      let padded = id.count < 12 ? id + String(repeating: " ", count: 12 - id.count) : id
      lines.append(String(format: "%4d  ", rank + 1) + padded + String(format: " %.4f", item.score))
    }
    if result.items.isEmpty { lines.append("  (no item to recommend)") }
    return lines.joined(separator: "\n")
  }

  /// One entry of a hybrid list's JSON array: the plain entry's keys, then `title` and
  /// `predicted_rating` when known and `explanation` when asked for (snake_case keys).
  private struct HybridEntry: Encodable {
    var itemID: String
    var score: Float
    var source: String
    var title: String?
    var predictedRating: Float?
    var explanation: RecommendationExplanation?
  }

  /// A hybrid list as text: the JSON array, or a table with titles and explanation lines.
  static func render(_ result: HybridRecommendations, heading: String, json: Bool) throws -> String
  {
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      encoder.keyEncodingStrategy = .convertToSnakeCase
      let entries = result.items.map {
        HybridEntry(
          itemID: $0.item.description, score: $0.score, source: result.source.rawValue,
          title: $0.title, predictedRating: $0.predictedRating, explanation: $0.explanation)
      }
      return String(decoding: try encoder.encode(entries), as: UTF8.self)
    }
    var lines = [heading]
    for (rank, item) in result.items.enumerated() {
      let id = DataError.escapingControlCharacters(item.item.description)
      let title = item.title.map { "  " + DataError.escapingControlCharacters($0) } ?? ""
      let predicted = item.predictedRating.map { String(format: "  (%.1f★)", $0) } ?? ""
      lines.append(String(format: "%4d  ", rank + 1) + id + title + predicted)
      if let summary = item.explanation?.summary, !summary.isEmpty {
        lines.append("        " + DataError.escapingControlCharacters(summary))
      }
    }
    if result.items.isEmpty { lines.append("  (no item to recommend)") }
    return lines.joined(separator: "\n")
  }

  /// Notes on standard error: ignored ids and, when a fallback answered, `fallback` (why) and
  /// which one.
  static func printNotes(_ result: Recommendations, fallback: String) {
    var notes: [String] = []
    if !result.ignoredItems.isEmpty {
      let ids = result.ignoredItems.map { DataError.escapingControlCharacters($0.description) }
      notes.append(
        "ignored \(ids.count) item id(s) the model does not know: \(ids.joined(separator: ", "))")
    }
    if result.source != .model {
      notes.append("\(fallback): answered by the \(result.source.rawValue) fallback")
    }
    for note in notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
  }
}
