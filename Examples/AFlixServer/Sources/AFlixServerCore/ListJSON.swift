import Foundation

/// A JSON writer for the hottest response, a recommendation list without explanations, writing
/// the bytes `JSON.encoder()` writes (sorted keys, absent optionals left out, `/` escaped,
/// floating-point numbers in their shortest form without a trailing `.0`) at a fraction of the
/// cost: Foundation's `JSONEncoder` took twice the time of the recommendation itself.
struct ListJSON {
  private(set) var bytes: [UInt8] = []

  init(capacity: Int) {
    bytes.reserveCapacity(capacity)
  }

  mutating func raw(_ text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  /// `"key":`; `key` must need no escaping.
  mutating func key(_ key: StaticString) {
    bytes.append(UInt8(ascii: "\""))
    raw(key)
    bytes.append(UInt8(ascii: "\""))
    bytes.append(UInt8(ascii: ":"))
  }

  mutating func string(_ value: String) {
    bytes.append(UInt8(ascii: "\""))
    for byte in value.utf8 {
      switch byte {
      case UInt8(ascii: "\""): raw("\\\"")
      case UInt8(ascii: "\\"): raw("\\\\")
      case UInt8(ascii: "/"): raw("\\/")
      case 0x0A: raw("\\n")
      case 0x0D: raw("\\r")
      case 0x09: raw("\\t")
      case 0x08: raw("\\b")
      case 0x0C: raw("\\f")
      case 0..<0x20:
        raw("\\u00")
        bytes.append(Self.hex[Int(byte >> 4)])
        bytes.append(Self.hex[Int(byte & 0x0F)])
      default: bytes.append(byte)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

  /// A finite number as `JSONEncoder` writes it; `false` for a non-finite one, which JSON cannot
  /// hold (the caller then falls back to the encoder, which reports it).
  mutating func number(_ value: Float) -> Bool {
    guard value.isFinite else { return false }
    var text = value.description
    if text.hasSuffix(".0") { text.removeLast(2) }
    bytes.append(contentsOf: text.utf8)
    return true
  }

  mutating func number(_ value: Int) {
    bytes.append(contentsOf: String(value).utf8)
  }

  mutating func bool(_ value: Bool) {
    value ? raw("true") : raw("false")
  }
}

extension API.Recommendations {
  /// The response's JSON, as `JSON.encoder()` writes it, when no entry has an explanation and
  /// every score is finite; `nil` otherwise (the encoder writes it then).
  func listJSON() -> Data? {
    var json = ListJSON(capacity: 96 + recommendations.count * 96)
    json.raw("{")
    if let experiment {
      json.key("experiment")
      json.raw("{")
      json.key("experiment")
      json.string(experiment.experiment)
      json.raw(",")
      json.key("index")
      json.number(experiment.index)
      json.raw(",")
      json.key("variant")
      json.string(experiment.variant)
      json.raw("},")
    }
    json.key("fallback")
    json.bool(fallback)
    json.raw(",")
    json.key("known_ratings")
    json.number(knownRatings)
    json.raw(",")
    json.key("model_generation")
    json.number(modelGeneration)
    if let note {
      json.raw(",")
      json.key("note")
      json.string(note)
    }
    json.raw(",")
    json.key("recommendations")
    json.raw("[")
    for (k, item) in recommendations.enumerated() {
      guard item.explanation == nil else { return nil }
      if k > 0 { json.raw(",") }
      json.raw("{")
      json.key("movie_id")
      json.string(item.movieId)
      if let newFilm = item.newFilm {
        json.raw(",")
        json.key("new_film")
        json.bool(newFilm)
      }
      if let predicted = item.predictedRating {
        json.raw(",")
        json.key("predicted_rating")
        guard json.number(predicted) else { return nil }
      }
      json.raw(",")
      json.key("score")
      guard json.number(item.score) else { return nil }
      if let title = item.title {
        json.raw(",")
        json.key("title")
        json.string(title)
      }
      json.raw("}")
    }
    json.raw("],")
    json.key("source")
    json.string(source.rawValue)
    json.raw(",")
    json.key("user_id")
    json.string(userId)
    json.raw("}")
    return Data(json.bytes)
  }
}
