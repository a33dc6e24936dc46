import AFlixData
import Foundation
import Testing

/// A split that leaves its train or test side without a rating is an error, not an empty file
/// that AFlix itself then refuses (issue #10).
@Suite("Splits with an empty side")
struct SplitEmptySideTests {
  static func dataset(users: Int = 10, perUser: Int = 5, timestamps: Bool = true) throws
    -> RatingsDataset
  {
    var ratings: [Rating] = []
    for u in 0..<users {
      for j in 0..<perUser {
        ratings.append(
          Rating(
            user: .int(u), item: .int((u + j) % 12), value: Float(1 + (u + j) % 5),
            timestamp: timestamps ? Int64(u * 100 + j) : nil))
      }
    }
    return try RatingsDataset(ratings: ratings, scale: .oneToFive)
  }

  static func isEmptySide(_ body: () throws -> Void) -> Bool {
    do {
      try body()
      return false
    } catch let error as DataError {
      return error.kind == .invalidArgument && error.message.contains("side empty")
    } catch {
      return false
    }
  }

  @Test(arguments: [1e-300, 1e-7, 0.0099])
  func aTinyHoldoutIsAnError(fraction: Double) throws {
    let data = try Self.dataset()
    #expect(Self.isEmptySide { _ = try data.split(.holdout(testFraction: fraction), seed: 1) })
  }

  @Test(arguments: [0.9999999, 0.99])
  func aHoldoutOfNearlyEverythingIsAnError(fraction: Double) throws {
    let data = try Self.dataset()
    #expect(Self.isEmptySide { _ = try data.split(.holdout(testFraction: fraction), seed: 1) })
  }

  @Test func perUserProtocolsWithNothingHeldOutAreErrors() throws {
    let data = try Self.dataset(perUser: 1)
    #expect(Self.isEmptySide { _ = try data.split(.lastN(1), seed: 1) })
    #expect(Self.isEmptySide { _ = try data.split(.userHoldout(testFraction: 0.2), seed: 1) })
    #expect(Self.isEmptySide { _ = try data.split(.stratified(trainFraction: 0.75), seed: 1) })
  }

  @Test func ordinarySplitsStillWork() throws {
    let data = try Self.dataset()
    let split = try data.split(.holdout(testFraction: 0.2), seed: 1)[0]
    #expect(split.test.ratingCount == 10 && split.train.ratingCount == 40)
  }

  @Test(arguments: [SplitProtocol.maximumFolds + 1, Int.max])
  func foldCountsAboveTheMaximumAreRefused(k: Int) throws {
    let data = try Self.dataset()
    #expect(throws: DataError.self) { _ = try data.split(.kFold(k), seed: 1) }
  }
}
