import AFlixData
import AFlixLinalg
import Foundation
import Testing

@Suite struct RatingsDatasetTests {
  static let sample: [Rating] = [
    Rating(user: 20, item: "b", value: 4, timestamp: 5),
    Rating(user: 10, item: "a", value: 3.5, timestamp: 9),
    Rating(user: 20, item: "a", value: 1, timestamp: 7),
    Rating(user: 30, item: "c", value: 5, timestamp: 1),
    Rating(user: 10, item: "c", value: 2, timestamp: 3),
  ]

  @Test func countsMeanAndIndexOrder() throws {
    let data = try RatingsDataset(ratings: Self.sample, scale: .halfStars)
    #expect(data.userCount == 3)
    #expect(data.itemCount == 3)
    #expect(data.ratingCount == 5)
    #expect(data.users.ids == [10, 20, 30])
    #expect(data.items.ids == ["a", "b", "c"])
    #expect(abs(data.globalMean - (4 + 3.5 + 1 + 5 + 2) / 5) < 1e-12)
    #expect(abs(data.density - 5.0 / 9.0) < 1e-12)
    #expect(data.hasTimestamps)
  }

  @Test func viewsAgreeWithTheInput() throws {
    let data = try RatingsDataset(ratings: Self.sample, scale: .halfStars)
    for rating in Self.sample {
      let u = try #require(data.users.index(of: rating.user))
      let i = try #require(data.items.index(of: rating.item))
      #expect(data.value(user: u, item: i) == rating.value)
      #expect(data.value(userID: rating.user, itemID: rating.item) == rating.value)
      let row = data.ratings(ofUser: u)
      let k = try #require(row.items.firstIndex(of: Int32(i)))
      #expect(data.timestamps(ofUser: u)?[k] == rating.timestamp)
      let column = data.ratings(ofItem: i)
      let j = try #require(column.users.firstIndex(of: Int32(u)))
      #expect(column.values[j] == rating.value)
    }
    for u in 0..<data.userCount {
      let items = Array(data.ratings(ofUser: u).items)
      #expect(items == items.sorted())
    }
    #expect(data.userDegrees() == [2, 2, 1])
    #expect(data.itemDegrees() == [2, 1, 2])
    #expect(data.userDegrees().reduce(0, +) == data.ratingCount)
  }

  @Test func unknownLookupsReturnNil() throws {
    let data = try RatingsDataset(ratings: Self.sample, scale: .halfStars)
    #expect(data.users.index(of: 99) == nil)
    #expect(data.items.index(of: "zzz") == nil)
    #expect(data.value(userID: 99, itemID: "a") == nil)
    #expect(data.value(userID: 30, itemID: "a") == nil)  // both known, no rating
    #expect(data.value(user: -1, item: 0) == nil)
    #expect(data.value(user: 0, item: 3) == nil)
  }

  @Test func allRatingsReturnsEverythingByUserThenItem() throws {
    let data = try RatingsDataset(ratings: Self.sample, scale: .halfStars)
    let all = data.allRatings()
    #expect(Set(all) == Set(Self.sample))
    #expect(all.map(\.user) == [10, 10, 20, 20, 30])
    #expect(all.map(\.item) == ["a", "c", "a", "b", "c"])
  }

  @Test func histogramCountsDistinctValuesAscending() throws {
    let ratings = (0..<40).map { k in
      Rating(user: .int(k % 7), item: .int(k), value: Float(k % 9 + 1) * 0.5)
    }
    let data = try RatingsDataset(ratings: ratings, scale: .halfStars)
    let histogram = data.histogram()
    #expect(histogram.map(\.value) == histogram.map(\.value).sorted())
    var naive: [Float: Int] = [:]
    for r in ratings { naive[r.value, default: 0] += 1 }
    #expect(histogram.count == naive.count)
    for entry in histogram { #expect(naive[entry.value] == entry.count) }
  }

  @Test func matrixIsStoredCSRAndConverts() throws {
    let data = try RatingsDataset(ratings: Self.sample, scale: .halfStars)
    let x = data.userItemMatrix
    #expect(x.rows == 3 && x.columns == 3 && x.nonzeroCount == 5)
    #expect(x[1, 1] == 4)  // user 20, item "b"
    let d = data.userItemMatrix(as: Double.self)
    #expect(d.values == x.values.map(Double.init))
    #expect(d.rowOffsets == x.rowOffsets)
  }

  @Test func emptyDatasetIsAllowed() throws {
    let data = try RatingsDataset(ratings: [], scale: .oneToFive)
    #expect(data.ratingCount == 0)
    #expect(data.userCount == 0)
    #expect(data.itemCount == 0)
    #expect(data.globalMean == 0)
    #expect(data.density == 0)
    #expect(!data.hasTimestamps)
    #expect(data.histogram().isEmpty)
  }

  @Test(arguments: [Float.nan, .infinity, -.infinity])
  func nonFiniteValuesAreRejected(value: Float) throws {
    let error = try #require(throws: DataError.self) {
      try RatingsDataset(ratings: [Rating(user: 1, item: 1, value: value)], scale: .oneToFive)
    }
    #expect(error.kind == .nonFiniteValue)
  }

  @Test(arguments: [Float(0), 5.5, 3.5, -1])
  func outOfScaleValuesAreRejected(value: Float) throws {
    let error = try #require(throws: DataError.self) {
      try RatingsDataset(ratings: [Rating(user: 1, item: 1, value: value)], scale: .oneToFive)
    }
    #expect(error.kind == .outOfScale)
  }

  @Test func mixedTimestampsAreRejected() throws {
    let error = try #require(throws: DataError.self) {
      try RatingsDataset(
        ratings: [
          Rating(user: 1, item: 1, value: 3, timestamp: 1), Rating(user: 1, item: 2, value: 3),
        ],
        scale: .oneToFive)
    }
    #expect(error.kind == .invalidArgument)
  }

  static let duplicated: [Rating] = [
    Rating(user: 1, item: 7, value: 4, timestamp: 10),
    Rating(user: 2, item: 7, value: 1, timestamp: 11),
    Rating(user: 1, item: 7, value: 2, timestamp: 20),
  ]

  @Test func duplicatesThrowUnderError() throws {
    let error = try #require(throws: DataError.self) {
      try RatingsDataset(ratings: Self.duplicated, scale: .oneToFive)
    }
    #expect(error.kind == .duplicateRating)
    #expect(error.message.contains("#0") && error.message.contains("#2"))
  }

  @Test func keepLastKeepsTheLaterValueAndTimestamp() throws {
    let data = try RatingsDataset(
      ratings: Self.duplicated, scale: .oneToFive, duplicates: .keepLast)
    #expect(data.ratingCount == 2)
    #expect(data.value(userID: 1, itemID: 7) == 2)
    #expect(data.timestamps(ofUser: 0)?.first == 20)
  }

  @Test func meanAveragesAndSumAdds() throws {
    let mean = try RatingsDataset(ratings: Self.duplicated, scale: .oneToFive, duplicates: .mean)
    #expect(mean.value(userID: 1, itemID: 7) == 3)
    // A sum must stay on the declared scale: 4 + 2 is not a 1…5 rating.
    #expect(throws: DataError.self) {
      _ = try RatingsDataset(ratings: Self.duplicated, scale: .oneToFive, duplicates: .sum)
    }
    let counts = RatingScale(minimum: 1, maximum: 100, step: 1)
    let sum = try RatingsDataset(ratings: Self.duplicated, scale: counts, duplicates: .sum)
    #expect(sum.value(userID: 1, itemID: 7) == 6)
    #expect(sum.value(userID: 2, itemID: 7) == 1)
  }

  @Test func addAppendsNewUsersAndItemsAfterExistingOnes() throws {
    var data = try RatingsDataset(ratings: Self.sample, scale: .halfStars)
    let before = data.users.ids
    try data.add([
      Rating(user: 5, item: "a", value: 3, timestamp: 100),
      Rating(user: 10, item: "d", value: 4.5, timestamp: 101),
    ])
    #expect(data.ratingCount == 7)
    #expect(Array(data.users.ids.prefix(3)) == before)
    #expect(data.users.index(of: 5) == 3)  // new user at the end although 5 < 10
    #expect(data.items.index(of: "d") == 3)
    #expect(data.value(userID: 5, itemID: "a") == 3)
    #expect(data.value(userID: 10, itemID: "d") == 4.5)
    #expect(data.value(userID: 20, itemID: "b") == 4)  // old ratings kept
    #expect(data.ratings(ofItem: 0).users.count == 3)  // item "a" by 10, 20 and 5
  }

  @Test func addRefusesDuplicatesAndLeavesTheDatasetUnchanged() throws {
    var data = try RatingsDataset(ratings: Self.sample, scale: .halfStars)
    let error = try #require(throws: DataError.self) {
      try data.add([Rating(user: 10, item: "a", value: 1, timestamp: 1)])
    }
    #expect(error.kind == .duplicateRating)
    #expect(data.ratingCount == 5)
    #expect(data.value(userID: 10, itemID: "a") == 3.5)
    try data.add([Rating(user: 10, item: "a", value: 1, timestamp: 1)], duplicates: .keepLast)
    #expect(data.value(userID: 10, itemID: "a") == 1)
    #expect(data.ratingCount == 5)
  }

  @Test func addRefusesRatingsWithoutTimestampsOnATimedDatasetWhenAsked() throws {
    var data = try RatingsDataset(ratings: Self.sample, scale: .halfStars)
    let error = try #require(throws: DataError.self) {
      try data.add([Rating(user: 1, item: "z", value: 1)], missingTimestamp: .reject)
    }
    #expect(error.kind == .invalidArgument)
  }

  @Test func subsetKeepsTheIDMaps() throws {
    let data = try RatingsDataset(ratings: Self.sample, scale: .halfStars)
    let part = data.subset(userMajorIndices: [4, 0])
    #expect(part.ratingCount == 2)
    #expect(part.users == data.users)
    #expect(part.items == data.items)
    #expect(part.userCount == 3)
    let all = data.allRatings()
    #expect(part.allRatings() == [all[0], all[4]])
    let empty = data.subset(userMajorIndices: [])
    #expect(empty.ratingCount == 0 && empty.userCount == 3)
  }
}
