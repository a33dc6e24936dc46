import AFlix
import ArgumentParser
import Foundation

// The library's value types the command line takes, each parsed once by the argument parser.
// Options use `transform:` with the throwing `parse` so a refusal says why; the conformances to
// `ExpressibleByArgument` serve completion scripts and defaults.

extension RatingScale: ExpressibleByArgument {
  /// `MIN:MAX` or `MIN:MAX:STEP` (see ``parse(_:)``).
  public init?(argument: String) {
    guard let parsed = try? Self.parse(argument) else { return nil }
    self = parsed
  }

  /// `MIN:MAX` or `MIN:MAX:STEP`: finite numbers within `Float`'s range, `MIN < MAX`, a positive
  /// step, and at most ``maximumArgumentSteps`` steps from `MIN` to `MAX`.
  static func parse(_ text: String) throws -> RatingScale {
    func fail(_ reason: String) -> ArgumentError {
      ArgumentError("--scale '\(text)': \(reason) (expected MIN:MAX or MIN:MAX:STEP)")
    }
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2 || parts.count == 3 else { throw fail("expected 2 or 3 numbers") }
    var values: [Float] = []
    for (name, part) in zip(["MIN", "MAX", "STEP"], parts) {
      guard let number = Double(part.trimmingCharacters(in: .whitespaces)) else {
        throw fail("\(name) '\(part)' is not a number")
      }
      guard number.isFinite else { throw fail("\(name) \(part) is not finite") }
      guard abs(number) <= Double(Float.greatestFiniteMagnitude) else {
        throw fail(
          "\(name) \(part) is beyond the largest rating AFlix stores (±3.4e38, 32-bit floats)")
      }
      values.append(Float(number))
    }
    let (lo, hi) = (values[0], values[1])
    guard lo < hi else { throw fail("MIN must be below MAX") }
    guard (hi - lo).isFinite else { throw fail("MAX − MIN overflows 32-bit floats") }
    var step: Float?
    if values.count == 3 {
      let s = values[2]
      guard s > 0 else { throw fail("STEP must be positive") }
      guard Double(hi - lo) / Double(s) <= Double(maximumArgumentSteps) else {
        throw fail("more than \(maximumArgumentSteps) steps from MIN to MAX")
      }
      let steps = Double(hi - lo) / Double(s)
      guard abs(steps - steps.rounded()) <= 1e-4 * max(1, steps) else {
        throw fail("MAX is not a whole number of STEPs above MIN")
      }
      step = s
    }
    return RatingScale(minimum: lo, maximum: hi, step: step)
  }

  /// The most steps a stepped `--scale` may have: 1,000,000.
  static let maximumArgumentSteps = 1_000_000
}

extension Relevance: ExpressibleByArgument {
  /// `all`, or a threshold such as `4` (see ``parse(_:)``).
  public init?(argument: String) {
    guard let parsed = try? Self.parse(argument) else { return nil }
    self = parsed
  }

  /// `all` (every held-out rating is relevant) or a finite 32-bit threshold (ratings at or above
  /// it are).
  static func parse(_ text: String) throws -> Relevance {
    if text == "all" { return .all }
    guard let value = Double(text.trimmingCharacters(in: .whitespaces)) else {
      throw ArgumentError("--relevant must be 'all' or a number, got '\(text)'")
    }
    guard value.isFinite, abs(value) <= Double(Float.greatestFiniteMagnitude) else {
      throw ArgumentError(
        "--relevant \(text) is not a finite 32-bit number (ratings are stored as Float)")
    }
    return .atLeast(Float(value))
  }
}

extension SplitProtocol: ExpressibleByArgument {
  /// `holdout:F`, `user-holdout:F`, `stratified:F`, `kfold:K` or `last:N`.
  public init?(argument: String) {
    guard let parsed = try? Self.parse(argument) else { return nil }
    self = parsed
  }

  /// The protocol `text` names, or the library's reason it names none.
  static func parse(_ text: String) throws -> SplitProtocol {
    do {
      return try SplitProtocol(parsing: text)
    } catch let error as DataError {
      throw ArgumentError(error.description)
    }
  }
}

extension DiversityReranking: ExpressibleByArgument {
  /// `off`, `original` or `mmr:λ`.
  public init?(argument: String) {
    guard let parsed = try? Self.parse(argument) else { return nil }
    self = parsed
  }

  /// The re-ranking `text` names, or the library's reason it names none.
  static func parse(_ text: String) throws -> DiversityReranking {
    do {
      return try DiversityReranking(parsing: text)
    } catch let error as RecommendError {
      throw ArgumentError("--diversity: \(error.message)")
    }
  }
}

extension ParameterRange<Int>: ExpressibleByArgument {
  /// `MIN-MAX` or one count (see ``parse(_:)``).
  public init?(argument: String) {
    guard let parsed = try? Self.parse(argument) else { return nil }
    self = parsed
  }

  /// `MIN-MAX` (e.g. `10-50`, or `10...50` as `--help` shows it) or one count; the
  /// configuration's checks bound the values.
  static func parse(_ text: String) throws -> ParameterRange<Int> {
    let parts = text.components(separatedBy: text.contains("...") ? "..." : "-").map {
      Int($0.trimmingCharacters(in: .whitespaces))
    }
    if parts.count == 1, let n = parts[0] { return ParameterRange(n, n) }
    guard parts.count == 2, let low = parts[0], let high = parts[1] else {
      throw ArgumentError("--ratings-per-user must be MIN-MAX (e.g. 10-50), got '\(text)'")
    }
    return ParameterRange(low, high)
  }
}

extension FilmChoice: ExpressibleByArgument {
  /// `uniform` or `popular[:EXPONENT]`.
  public init?(argument: String) {
    guard let parsed = try? Self.parse(argument) else { return nil }
    self = parsed
  }

  /// `uniform`, `popular` (exponent 1) or `popular:EXPONENT` (a finite number).
  static func parse(_ text: String) throws -> FilmChoice {
    if text == "uniform" { return .uniform }
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.first == "popular", parts.count <= 2 else {
      throw ArgumentError("--film-choice must be uniform or popular[:EXPONENT], got '\(text)'")
    }
    guard parts.count == 2 else { return .popularityWeighted(exponent: 1) }
    guard let exponent = Double(parts[1]), exponent.isFinite else {
      throw ArgumentError("--film-choice exponent must be a number, got '\(parts[1])'")
    }
    return .popularityWeighted(exponent: exponent)
  }
}

extension HybridMix: ExpressibleByArgument {
  /// Three weights `collaborative,content,popularity` (see ``parse(_:)``).
  public init?(argument: String) {
    guard let parsed = try? Self.parse(argument) else { return nil }
    self = parsed
  }

  /// `C,T,P`: three numbers the library accepts as a fixed mix.
  static func parse(_ text: String) throws -> HybridMix {
    let parts = text.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
    guard parts.count == 3, let c = parts[0], let t = parts[1], let p = parts[2] else {
      throw ArgumentError("--weights expects three numbers, e.g. 0.6,0.3,0.1; got '\(text)'")
    }
    let mix = HybridMix(collaborative: c, content: t, popularity: p)
    do {
      _ = try HybridWeights(fixed: mix)
    } catch let error as RecommendError {
      throw ArgumentError("--weights: \(error.message)")
    }
    return mix
  }
}

extension EntityID: ExpressibleByArgument {
  /// An id as the dataset spells it (see ``EntityID/init(parsing:)``): every text is one.
  public init?(argument: String) {
    self.init(parsing: argument)
  }
}
