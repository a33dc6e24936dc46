import AFlixData
import Foundation
import Testing

@Suite struct EntityIDTests {
  @Test func literalsAndDescription() {
    let a: EntityID = 42
    let b: EntityID = "tt0114709"
    #expect(a == .int(42))
    #expect(b == .string("tt0114709"))
    #expect(a.description == "42")
    #expect(b.description == "tt0114709")
    #expect(EntityID.int(-3).description == "-3")
  }

  @Test func orderPutsIntegersFirstThenNatural() {
    let ids: [EntityID] = ["b", 10, "a", 2, -1]
    #expect(ids.sorted() == [-1, 2, 10, "a", "b"])
    #expect(EntityID.int(9) < EntityID.int(10))
    #expect(!(EntityID.string("a") < EntityID.int(1)))
  }

  @Test func parsingKeepsNonCanonicalSpellingsAsStrings() {
    #expect(EntityID(parsing: "42") == .int(42))
    #expect(EntityID(parsing: "-7") == .int(-7))
    #expect(EntityID(parsing: "007") == .string("007"))
    #expect(EntityID(parsing: "+3") == .string("+3"))
    #expect(EntityID(parsing: "u1") == .string("u1"))
  }

  @Test func codableRoundTripUsesNumbersAndStrings() throws {
    let ids: [EntityID] = [1, "x", 300]
    let data = try JSONEncoder().encode(ids)
    #expect(String(decoding: data, as: UTF8.self) == #"[1,"x",300]"#)
    #expect(try JSONDecoder().decode([EntityID].self, from: data) == ids)
  }
}

@Suite struct IDMapTests {
  @Test func insertIsIdempotentAndLookupsOfUnknownIdsAreNil() {
    var map = IDMap()
    #expect(map.insert(42) == 0)
    #expect(map.insert("alice") == 1)
    #expect(map.insert(42) == 0)
    #expect(map.count == 2)
    #expect(map.index(of: "alice") == 1)
    #expect(map.index(of: 7) == nil)
    #expect(map.index(of: "42") == nil)  // a string id is not the integer id
    #expect(map.id(at: 1) == "alice")
  }

  @Test func initFromArrayAndEquality() {
    let a = IDMap([3, 1, 2])
    #expect(a.index(of: 2) == 2)
    #expect(a.ids == [3, 1, 2])
    #expect(a == IDMap([3, 1, 2]))
    #expect(a != IDMap([1, 2, 3]))
  }
}

@Suite struct RatingScaleTests {
  @Test func gridAndRange() {
    #expect(RatingScale.oneToFive.contains(1))
    #expect(RatingScale.oneToFive.contains(5))
    #expect(!RatingScale.oneToFive.contains(3.5))
    #expect(!RatingScale.oneToFive.contains(0))
    #expect(!RatingScale.oneToFive.contains(6))
    #expect(RatingScale.halfStars.contains(0.5))
    #expect(RatingScale.halfStars.contains(3.5))
    #expect(RatingScale.halfStars.contains(4))
    #expect(!RatingScale.halfStars.contains(3.25))
    #expect(!RatingScale.halfStars.contains(0))
    #expect(RatingScale.halfStars.contains(3.50005))  // within 1e-4 of the grid
  }

  @Test func specialValuesAreNeverContained() {
    for scale in [RatingScale.oneToFive, .halfStars, .continuousHalfToFive] {
      #expect(!scale.contains(.nan))
      #expect(!scale.contains(.infinity))
      #expect(!scale.contains(-.infinity))
    }
  }

  @Test func continuousScaleAcceptsAnyValueInRange() {
    let scale = RatingScale(minimum: 0.5, maximum: 5, step: nil)
    #expect(scale.contains(3.14159))
    #expect(!scale.contains(0.4))
    #expect(scale.clamp(7) == 5)
    #expect(scale.clamp(-1) == 0.5)
    #expect(scale.clamp(2.2) == 2.2)
    #expect(scale.clamp(.nan) == 0.5)
  }

  @Test func descriptionNamesRangeAndStep() {
    #expect(RatingScale.oneToFive.description == "1–5 step 1")
    #expect(RatingScale.continuousHalfToFive.description == "0.5–5 continuous")
  }
}

@Suite struct GenreTests {
  @Test func tmdbTableHasTheNineteenRealIDs() {
    #expect(Genre.tmdb.count == 19)
    #expect(Set(Genre.tmdb.compactMap(\.id)).count == 19)
    #expect(Genre.tmdb(id: 28)?.name == "Action")
    #expect(Genre.tmdb(id: 878)?.name == "Science Fiction")
    #expect(Genre.tmdb(id: 10751)?.name == "Family")
    #expect(Genre.tmdb(id: 10770)?.name == "TV Movie")
    #expect(Genre.tmdb(id: 37)?.name == "Western")
    #expect(Genre.tmdb(id: 1) == nil)
  }

  @Test func movieLensNamesMapOntoTMDB() {
    #expect(Genre.named("Sci-Fi") == Genre(id: 878, name: "Science Fiction"))
    #expect(Genre.named("Children's").id == 10751)
    #expect(Genre.named("Children").id == 10751)
    #expect(Genre.named("comedy") == Genre(id: 35, name: "Comedy"))
    #expect(Genre.named("Film-Noir") == Genre(id: nil, name: "Film-Noir"))
    #expect(Genre.named("IMAX").id == nil)
    #expect(Genre.named("unknown") == Genre(id: nil, name: "unknown"))
  }

  @Test func yearFromTitle() {
    #expect(Movie.year(fromTitle: "Toy Story (1995)") == 1995)
    #expect(Movie.year(fromTitle: "American President, The (1995) ") == 1995)
    #expect(Movie.year(fromTitle: "Some Series (2007-2013)") == 2007)
    #expect(Movie.year(fromTitle: "Hyena Road") == nil)
    #expect(Movie.year(fromTitle: "Paris (Je t'aime)") == nil)
  }

  @Test func catalogRejectsRepeatedIDsAndListsGenresInFirstSeenOrder() throws {
    let drama = Genre.named("Drama")
    let comedy = Genre.named("Comedy")
    let catalog = try Catalog(movies: [
      Movie(id: 1, title: "A", genres: [drama]),
      Movie(id: "x", title: "B", genres: [comedy, drama]),
    ])
    #expect(catalog.count == 2)
    #expect(catalog.genres == [drama, comedy])
    #expect(catalog.movie(withID: "x")?.title == "B")
    #expect(catalog.movie(withID: 2) == nil)
    let error = try #require(throws: DataError.self) {
      try Catalog(movies: [Movie(id: 1, title: "A"), Movie(id: 1, title: "B")])
    }
    #expect(error.kind == .invalidArgument)
  }

  @Test func dataErrorDescriptionNamesFileLineFieldAndValue() {
    let error = DataError(
      .nonNumericValue, file: "u.data", line: 17, field: "rating", value: "abc",
      message: "not a number")
    #expect(error.description == "u.data:17: field 'rating' value 'abc': not a number")
    #expect(DataError(.emptyFile, file: "x.csv", message: "empty").description == "x.csv: empty")
  }
}
