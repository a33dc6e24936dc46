import AFlixData
import Foundation
import Testing

@Suite struct SplitTests {
  /// 40 users with 1 … 23 ratings each, distinct timestamps within a user.
  static func synthetic(timestamps: Bool = true) throws -> RatingsDataset {
    var ratings: [Rating] = []
    for u in 0..<40 {
      let degree = 1 + (u * 7) % 23
      for k in 0..<degree {
        ratings.append(
          Rating(
            user: .int(u), item: .int((u * 3 + 5 * k) % 200), value: Float(1 + (u + k) % 5),
            timestamp: timestamps ? Int64(u * 1000 + (k * 919) % 1000) : nil))
      }
    }
    return try RatingsDataset(ratings: ratings, scale: .oneToFive)
  }

  /// Checks that train and test share the maps and partition `data`.
  func expectPartition(_ split: DatasetSplit, of data: RatingsDataset) {
    #expect(split.train.users == data.users)
    #expect(split.test.users == data.users)
    #expect(split.train.items == data.items)
    #expect(split.test.items == data.items)
    let train = Set(split.train.allRatings())
    let test = Set(split.test.allRatings())
    #expect(train.isDisjoint(with: test))
    #expect(train.union(test) == Set(data.allRatings()))
    #expect(split.train.ratingCount + split.test.ratingCount == data.ratingCount)
  }

  @Test func parsing() throws {
    #expect(try SplitProtocol(parsing: "holdout:0.2") == .holdout(testFraction: 0.2))
    #expect(try SplitProtocol(parsing: "user-holdout:0.2") == .userHoldout(testFraction: 0.2))
    #expect(
      try SplitProtocol(parsing: "user-holdout:0.2:3")
        == .userHoldout(testFraction: 0.2, minimumTrainRatings: 3))
    #expect(try SplitProtocol(parsing: "stratified:0.75") == .stratified(trainFraction: 0.75))
    #expect(try SplitProtocol(parsing: "kfold:5") == .kFold(5))
    #expect(try SplitProtocol(parsing: "last:1") == .lastN(1))
    for text in ["holdout:0.2", "user-holdout:0.25", "stratified:0.75", "kfold:5", "last:2"] {
      #expect(try SplitProtocol(parsing: text).description == text)
    }
  }

  @Test(arguments: [
    "holdout", "holdout:0", "holdout:1", "holdout:1.5", "holdout:-0.1", "holdout:abc",
    "holdout:nan", "stratified:1", "kfold:1", "kfold:x", "last:0", "random:0.2", "",
    "user-holdout:0.2:-1",
  ])
  func badProtocolText(_ text: String) throws {
    let error = try #require(throws: DataError.self) { try SplitProtocol(parsing: text) }
    #expect(error.kind == .invalidArgument)
  }

  @Test func holdoutSizeCoverageAndDeterminism() throws {
    let data = try Self.synthetic()
    let a = try data.split(.holdout(testFraction: 0.2), seed: 7)
    #expect(a.count == 1)
    #expect(a[0].name == "holdout")
    expectPartition(a[0], of: data)
    #expect(a[0].test.ratingCount == Int((0.2 * Double(data.ratingCount)).rounded()))
    let b = try data.split(.holdout(testFraction: 0.2), seed: 7)
    #expect(a[0].test.allRatings() == b[0].test.allRatings())
    let c = try data.split(.holdout(testFraction: 0.2), seed: 8)
    #expect(a[0].test.allRatings() != c[0].test.allRatings())
  }

  @Test func userHoldoutKeepsTheRoundedShareAndAMinimum() throws {
    let data = try Self.synthetic()
    for minimum in [1, 3] {
      let split = try data.split(
        .userHoldout(testFraction: 0.3, minimumTrainRatings: minimum), seed: 1)[0]
      expectPartition(split, of: data)
      let degrees = data.userDegrees()
      let trainDegrees = split.train.userDegrees()
      for u in 0..<data.userCount {
        let d = degrees[u]
        let expected = min(d, max(minimum, Int((0.7 * Double(d)).rounded(.toNearestOrEven))))
        #expect(trainDegrees[u] == expected)
        #expect(trainDegrees[u] >= min(d, minimum))
      }
    }
  }

  @Test func stratifiedUsesBankersRounding() throws {
    // Degree 6 at 0.75 is 4.5 → 4 in train (half to even); degree 2 is 1.5 → 2; 10 is 7.5 → 8.
    var ratings: [Rating] = []
    for (user, degree) in [(1, 6), (2, 2), (3, 10), (4, 1)] {
      for k in 0..<degree { ratings.append(Rating(user: .int(user), item: .int(k), value: 3)) }
    }
    let data = try RatingsDataset(ratings: ratings, scale: .oneToFive)
    let split = try data.split(.stratified(trainFraction: 0.75), seed: 3)[0]
    #expect(split.name == "stratified")
    #expect(split.train.userDegrees() == [4, 2, 8, 1])
    #expect(split.test.userDegrees() == [2, 0, 2, 0])
  }

  @Test func stratifiedEqualsUserHoldoutOfTheComplement() throws {
    let data = try Self.synthetic()
    for seed: UInt64 in [0, 42, 12345] {
      let s = try data.split(.stratified(trainFraction: 0.75), seed: seed)[0]
      let h = try data.split(.userHoldout(testFraction: 0.25), seed: seed)[0]
      #expect(s.train.allRatings() == h.train.allRatings())
      #expect(s.test.allRatings() == h.test.allRatings())
    }
    let other = try data.split(.stratified(trainFraction: 0.75), seed: 43)[0]
    let base = try data.split(.stratified(trainFraction: 0.75), seed: 42)[0]
    #expect(other.test.allRatings() != base.test.allRatings())
  }

  @Test func kFoldTestsEveryRatingExactlyOnce() throws {
    let data = try Self.synthetic()
    let folds = try data.split(.kFold(5), seed: 9)
    #expect(folds.map(\.name) == ["fold1", "fold2", "fold3", "fold4", "fold5"])
    var seen: [Rating: Int] = [:]
    for fold in folds {
      expectPartition(fold, of: data)
      for r in fold.test.allRatings() { seen[r, default: 0] += 1 }
    }
    #expect(seen.count == data.ratingCount)
    #expect(seen.values.allSatisfy { $0 == 1 })
    let sizes = folds.map(\.test.ratingCount)
    #expect(sizes.max()! - sizes.min()! <= 1)
    let again = try data.split(.kFold(5), seed: 9)
    #expect(zip(folds, again).allSatisfy { $0.test.allRatings() == $1.test.allRatings() })
    let small = try RatingsDataset(ratings: [Rating(user: 1, item: 1, value: 3)], scale: .oneToFive)
    #expect(throws: DataError.self) { try small.split(.kFold(2), seed: 1) }
  }

  @Test func lastNTakesTheLatestAndKeepsOneInTrain() throws {
    let data = try Self.synthetic()
    let split = try data.split(.lastN(2), seed: 0)[0]
    #expect(split.name == "last")
    expectPartition(split, of: data)
    let byUserTrain = Dictionary(grouping: split.train.allRatings(), by: \.user)
    let byUserTest = Dictionary(grouping: split.test.allRatings(), by: \.user)
    for u in 0..<data.userCount {
      let id = data.users.id(at: u)
      let train = byUserTrain[id] ?? []
      let test = byUserTest[id] ?? []
      #expect(!train.isEmpty)
      #expect(test.count == min(2, train.count + test.count - 1))
      if let oldestTest = test.map({ $0.timestamp! }).min(),
        let newestTrain = train.map({ $0.timestamp! }).max()
      {
        #expect(oldestTest > newestTrain)
      }
    }
  }

  @Test func lastNBreaksTimeTiesByItemIndex() throws {
    let ratings = [
      Rating(user: 1, item: 30, value: 3, timestamp: 5),
      Rating(user: 1, item: 10, value: 3, timestamp: 5),
      Rating(user: 1, item: 20, value: 3, timestamp: 1),
    ]
    let data = try RatingsDataset(ratings: ratings, scale: .oneToFive)
    let split = try data.split(.lastN(1), seed: 0)[0]
    #expect(split.test.allRatings().map(\.item) == [30])
  }

  @Test func lastNNeedsTimestamps() throws {
    let data = try Self.synthetic(timestamps: false)
    let error = try #require(throws: DataError.self) { try data.split(.lastN(1), seed: 0) }
    #expect(error.kind == .invalidArgument)
  }

  @Test func splitsValidateProgrammaticParameters() throws {
    let data = try Self.synthetic()
    #expect(throws: DataError.self) { try data.split(.holdout(testFraction: 1.2), seed: 0) }
    #expect(throws: DataError.self) { try data.split(.kFold(1), seed: 0) }
    #expect(throws: DataError.self) { try data.split(.lastN(0), seed: 0) }
  }
}

@Suite struct RatingsCSVWriterTests {
  @Test func roundTripIsExact() throws {
    let data = try SplitTests.synthetic()
    var ratings = data.allRatings()
    ratings[0].value = 3  // whole
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-writer-\(UUID().uuidString).csv")
    let exotic = try RatingsDataset(
      ratings: [
        Rating(user: "a,b", item: #"say "hi""#, value: 0.1, timestamp: 1),
        Rating(user: 1, item: 2, value: 4.7, timestamp: 2),
      ], scale: RatingScale(minimum: 0, maximum: 5))
    for dataset in [data, exotic] {
      try RatingsCSVWriter.write(dataset, to: url)
      let back = try DelimitedRatingsLoader.loadRatings(
        file: url, options: LoadOptions(scale: dataset.scale))
      #expect(Set(back.allRatings()) == Set(dataset.allRatings()))
      #expect(back.ratingCount == dataset.ratingCount)
    }
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(text.hasPrefix("userId,movieId,rating,timestamp\n"))
    #expect(text.contains(#""a,b","say ""hi""",0.1,1"#))
  }

  @Test func missingTimestampsLeaveTheColumnEmpty() throws {
    let data = try SplitTests.synthetic(timestamps: false)
    let text = RatingsCSVWriter.csv(data)
    let lines = text.split(separator: "\n")
    #expect(lines.count == data.ratingCount + 1)
    #expect(lines.dropFirst().allSatisfy { $0.hasSuffix(",") })
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-writer-\(UUID().uuidString).csv")
    try RatingsCSVWriter.write(data, to: url)
    let back = try MovieLensCSVLoader.loadRatings(
      file: url, options: LoadOptions(scale: .oneToFive))
    #expect(!back.hasTimestamps)
    #expect(back.allRatings() == data.allRatings())
  }
}
