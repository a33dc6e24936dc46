import AFlixData
import AFlixLinalg
import Testing

/// `RatingsDataset.add` splices into the storage in place: the result must be the dataset a
/// rebuild gives, timestamps get their documented default, and a refused addition changes nothing.
@Suite struct LiveAddTests {
  static let sample = RatingsDatasetTests.sample

  /// Expects `a` and `b` to hold the same indices, storage and summary values, and `a`'s two
  /// orders to agree.
  static func expectSame(
    _ a: RatingsDataset, _ b: RatingsDataset, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(a.users == b.users, sourceLocation: sourceLocation)
    #expect(a.items == b.items, sourceLocation: sourceLocation)
    #expect(a.userItemMatrix == b.userItemMatrix, sourceLocation: sourceLocation)
    #expect(a.itemUserMatrix == b.itemUserMatrix, sourceLocation: sourceLocation)
    #expect(a.allRatings() == b.allRatings(), sourceLocation: sourceLocation)
    #expect(a.hasTimestamps == b.hasTimestamps, sourceLocation: sourceLocation)
    #expect(a.latestTimestamp == b.latestTimestamp, sourceLocation: sourceLocation)
    #expect(abs(a.globalMean - b.globalMean) < 1e-9, sourceLocation: sourceLocation)
    #expect(
      a.itemUserMatrix == a.userItemMatrix.columnMajor(), sourceLocation: sourceLocation)
  }

  @Test func randomAdditionsEqualAFreshBuild() throws {
    var rng = SeededGenerator(seed: 42)
    func draw(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    func value() -> Float { Float(1 + draw(9)) / 2 }
    var given: [Rating] = []
    for _ in 0..<300 {
      given.append(
        Rating(
          user: .int(1 + draw(40)), item: .int(1 + draw(30)), value: value(),
          timestamp: Int64(draw(1_000))))
    }
    var data = try RatingsDataset(ratings: given, scale: .halfStars, duplicates: .keepLast)
    // New ids are larger than every earlier one, so a rebuild indexes them in the same order.
    var knownUsers = data.users.ids
    var knownItems = data.items.ids
    var nextUser = 41
    var nextItem = 31
    var replaced = 0
    for _ in 0..<60 {
      var batch: [Rating] = []
      for _ in 0..<(1 + draw(4)) {
        let user =
          draw(4) == 0 ? EntityID.int(nextUser + draw(2)) : knownUsers[draw(knownUsers.count)]
        let item =
          draw(4) == 0 ? EntityID.int(nextItem + draw(2)) : knownItems[draw(knownItems.count)]
        if data.value(userID: user, itemID: item) != nil { replaced += 1 }
        batch.append(Rating(user: user, item: item, value: value(), timestamp: Int64(draw(2_000))))
      }
      for id in Set(batch.map(\.user)) where data.users.index(of: id) == nil {
        knownUsers.append(id)
      }
      for id in Set(batch.map(\.item)) where data.items.index(of: id) == nil {
        knownItems.append(id)
      }
      nextUser = max(nextUser, batch.compactMap { $0.user.intValue }.max()! + 2)
      nextItem = max(nextItem, batch.compactMap { $0.item.intValue }.max()! + 2)
      try data.add(batch, duplicates: .keepLast)
      given += batch
      let rebuilt = try RatingsDataset(ratings: given, scale: .halfStars, duplicates: .keepLast)
      Self.expectSame(data, rebuilt)
    }
    // Both paths were taken: new pairs and replaced ones, new ids and known ones.
    #expect(replaced > 0)
    #expect(data.userCount > 40 && data.itemCount > 30)
  }

  @Test func newIDsFollowTheExistingOnesWhateverTheirOrder() throws {
    var data = try RatingsDataset(ratings: Self.sample, scale: .halfStars)
    let before = data
    try data.add([
      Rating(user: 1, item: "0", value: 3, timestamp: 11),
      Rating(user: 25, item: "b", value: 2, timestamp: 12),
      Rating(user: 1, item: "a", value: 4, timestamp: 13),
    ])
    #expect(Array(data.users.ids.prefix(3)) == before.users.ids)
    #expect(Array(data.users.ids.dropFirst(3)) == [1, 25])
    #expect(Array(data.items.ids) == ["a", "b", "c", "0"])
    let rebuilt = try RatingsDataset(
      ratings: Self.sample + [
        Rating(user: 1, item: "0", value: 3, timestamp: 11),
        Rating(user: 25, item: "b", value: 2, timestamp: 12),
        Rating(user: 1, item: "a", value: 4, timestamp: 13),
      ], scale: .halfStars)
    // Indices differ from a rebuild (it sorts all ids); the ratings by id do not.
    #expect(data.ratingCount == rebuilt.ratingCount)
    #expect(Set(data.allRatings()) == Set(rebuilt.allRatings()))
    #expect(data.itemUserMatrix == data.userItemMatrix.columnMajor())
  }

  @Test func addingToAnEmptyDatasetEqualsBuildingIt() throws {
    var data = try RatingsDataset(ratings: [], scale: .halfStars)
    try data.add(Self.sample)
    Self.expectSame(data, try RatingsDataset(ratings: Self.sample, scale: .halfStars))
    var untimed = try RatingsDataset(ratings: [], scale: .halfStars)
    let plain = Self.sample.map { Rating(user: $0.user, item: $0.item, value: $0.value) }
    try untimed.add(plain)
    Self.expectSame(untimed, try RatingsDataset(ratings: plain, scale: .halfStars))
    #expect(!untimed.hasTimestamps && untimed.latestTimestamp == nil)
  }

  @Test func aMissingTimestampGetsTheLatestByDefault() throws {
    var data = try RatingsDataset(ratings: Self.sample, scale: .halfStars)
    #expect(data.latestTimestamp == 9)
    try data.add([Rating(user: 40, item: "a", value: 2)])
    #expect(data.timestamps(ofUser: data.users.index(of: 40)!) == [9])
    // A later timestamp given in the same batch counts as known.
    try data.add([
      Rating(user: 50, item: "a", value: 2), Rating(user: 50, item: "b", value: 3, timestamp: 30),
    ])
    #expect(data.timestamps(ofUser: data.users.index(of: 50)!) == [30, 30])
    #expect(data.latestTimestamp == 30)
    try data.add([Rating(user: 60, item: "c", value: 1)], missingTimestamp: .fixed(-5))
    #expect(data.timestamps(ofUser: data.users.index(of: 60)!) == [-5])
    #expect(data.latestTimestamp == 30)
  }

  @Test func rejectedTimestampsChangeNothing() throws {
    var data = try RatingsDataset(ratings: Self.sample, scale: .halfStars)
    let before = data
    let missing = try #require(throws: DataError.self) {
      try data.add([Rating(user: 40, item: "a", value: 2)], missingTimestamp: .reject)
    }
    #expect(missing.kind == .invalidArgument)
    Self.expectSame(data, before)
    var untimed = try RatingsDataset(
      ratings: Self.sample.map { Rating(user: $0.user, item: $0.item, value: $0.value) },
      scale: .halfStars)
    let untimedBefore = untimed
    let extra = try #require(throws: DataError.self) {
      try untimed.add([Rating(user: 40, item: "a", value: 2, timestamp: 1)])
    }
    #expect(extra.kind == .invalidArgument)
    Self.expectSame(untimed, untimedBefore)
  }

  @Test func duplicatesFollowThePolicy() throws {
    var data = try RatingsDataset(ratings: Self.sample, scale: .halfStars)
    let before = data
    let again = try #require(throws: DataError.self) {
      try data.add([
        Rating(user: 40, item: "a", value: 2, timestamp: 1),
        Rating(user: 10, item: "c", value: 4, timestamp: 20),
      ])
    }
    #expect(again.kind == .duplicateRating && again.message.contains("already rated"))
    let twice = try #require(throws: DataError.self) {
      try data.add([
        Rating(user: 40, item: "a", value: 2, timestamp: 1),
        Rating(user: 40, item: "a", value: 3, timestamp: 2),
      ])
    }
    #expect(twice.kind == .duplicateRating && twice.message.contains("#0 and #1"))
    Self.expectSame(data, before)

    var last = data
    try last.add([Rating(user: 10, item: "c", value: 4, timestamp: 20)], duplicates: .keepLast)
    #expect(last.ratingCount == 5)
    #expect(last.value(userID: 10, itemID: "c") == 4)
    #expect(last.timestamps(ofUser: 0) == [9, 20])
    #expect(last.ratings(ofItem: 2).values.first == 4)
    #expect(abs(last.globalMean - (4 + 3.5 + 1 + 5 + 4) / 5) < 1e-12)

    var mean = data
    try mean.add(
      [
        Rating(user: 10, item: "c", value: 5, timestamp: 21),
        Rating(user: 10, item: "c", value: 5, timestamp: 22),
      ], duplicates: .mean)
    #expect(mean.value(userID: 10, itemID: "c") == 4)  // (2 + 5 + 5) / 3
    #expect(mean.timestamps(ofUser: 0) == [9, 22])

    var sum = data
    let overflow = try #require(throws: DataError.self) {
      try sum.add([Rating(user: 30, item: "c", value: 1, timestamp: 2)], duplicates: .sum)
    }
    #expect(overflow.kind == .outOfScale)
    Self.expectSame(sum, data)
    try sum.add([Rating(user: 10, item: "c", value: 1, timestamp: 2)], duplicates: .sum)
    #expect(sum.value(userID: 10, itemID: "c") == 3)
  }

  @Test(arguments: [Float.nan, .infinity, -.infinity, 7, 3.25, 0])
  func badValuesAreRefusedAndChangeNothing(value: Float) throws {
    var data = try RatingsDataset(ratings: Self.sample, scale: .halfStars)
    let before = data
    let error = try #require(throws: DataError.self) {
      try data.add([
        Rating(user: 40, item: "z", value: 3, timestamp: 1),
        Rating(user: 10, item: "b", value: value, timestamp: 2),
      ])
    }
    #expect(error.kind == (value.isFinite ? .outOfScale : .nonFiniteValue))
    #expect(error.message.contains("#1"))
    Self.expectSame(data, before)
    #expect(data.users.index(of: 40) == nil && data.items.index(of: "z") == nil)
  }

  @Test func replacingTheLatestTimestampWithAnEarlierOneLowersIt() throws {
    var data = try RatingsDataset(ratings: Self.sample, scale: .halfStars)
    try data.add([Rating(user: 10, item: "a", value: 3, timestamp: 2)], duplicates: .keepLast)
    #expect(data.latestTimestamp == 7)
  }

  @Test func aCopyKeptElsewhereDoesNotChange() throws {
    var data = try RatingsDataset(ratings: Self.sample, scale: .halfStars)
    let copy = data
    try data.add(
      [
        Rating(user: 10, item: "b", value: 5, timestamp: 4),
        Rating(user: 10, item: "a", value: 5, timestamp: 4),
      ], duplicates: .keepLast)
    #expect(data.ratingCount == 6)
    Self.expectSame(copy, try RatingsDataset(ratings: Self.sample, scale: .halfStars))
  }
}
