import AFlix
import Foundation
import Hummingbird

extension API {
  /// The body of `POST /api/admin/films`.
  struct FilmRequest: Decodable {
    var movieId: String?
    var title: String
    var genres: [String]?
    var year: Int?
    var keywords: [String]?
    var cast: [String]?
    var director: String?
  }

  struct AddedFilm: Encodable {
    var movieId: String
    var title: String
    var year: Int?
    var genres: [String]
    var placedInModel: Bool
    var contentTraits: Int
    var note: String
  }

  /// The most entries of each list of a film (genres, keywords, cast).
  static let maximumFilmListCount = 100
  /// The longest text field of a film, in characters.
  static let maximumFilmTextLength = 300

  /// Adds a film to the catalogue (admin only): 201 with what was added; 400 for a missing title,
  /// an id, year or list out of bounds; 409 for an id the catalogue has. The film is recommended
  /// by content at once and its ratings are accepted; the next training fits it like any film.
  func addFilm(request: Request) async throws -> Response {
    try await requireAdmin(request, "adding films")
    let input = try await decodeBody(
      request, as: FilmRequest.self, empty: nil,
      shape: #"{"title": "…", "genres": ["…"], "movie_id"?, "year"?, "keywords"?, "cast"?, "#
        + #""director"?}"#)
    var movie = try film(from: input)
    var placed: PlacedFilm?
    for attempt in 1...8 {
      do {
        placed = try await service.addFilm(movie)
        break
      } catch FilmAdditionError.exists(let id) {
        // An id the server chose was taken by a concurrent addition: the next free one.
        guard input.movieId == nil, attempt < 8 else {
          throw APIError(.conflict, code: "film_exists", "a film with id \(id) exists")
        }
        movie = try film(from: input)
      } catch let error as RecommendError {
        throw APIError(.unprocessableContent, code: "film_not_placed", "\(error)")
      }
    }
    return JSON.response(
      AddedFilm(
        movieId: movie.id.description, title: movie.title, year: movie.year,
        genres: movie.genres.map(\.name), placedInModel: placed != nil,
        contentTraits: placed?.film.contentTraits.count ?? 0,
        note: placed == nil
          ? "no model serves yet: the film is placed when one does"
          : placed?.film.contentTraits.isEmpty == true
            ? "none of its genres, keywords or people is known to the content model: it ranks "
              + "as an average film until it has ratings"
            : "recommended by content until it has ratings; the next training fits it"),
      status: .created)
  }

  /// The film `input` describes, checked: 400 for what is out of bounds.
  private func film(from input: FilmRequest) throws -> Movie {
    func text(_ value: String, _ field: String) throws -> String {
      let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !trimmed.isEmpty, trimmed.count <= Self.maximumFilmTextLength else {
        throw APIError(
          .badRequest, code: "invalid_film",
          "\(field) must be non-empty text of at most \(Self.maximumFilmTextLength) characters")
      }
      return trimmed
    }
    func list(_ values: [String]?, _ field: String) throws -> [String] {
      let values = values ?? []
      guard values.count <= Self.maximumFilmListCount else {
        throw APIError(
          .badRequest, code: "invalid_film",
          "\(field) has \(values.count) entries; at most \(Self.maximumFilmListCount)")
      }
      var seen = Set<String>()
      return try values.map { try text($0, field) }.filter { seen.insert($0.lowercased()).inserted }
    }
    let title = try text(input.title, "title")
    if let year = input.year, !(1870...2200).contains(year) {
      throw APIError(.badRequest, code: "invalid_film", "year \(year) is outside 1870…2200")
    }
    let catalog = service.catalog
    let id: EntityID
    if let given = input.movieId {
      let trimmed = given.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !trimmed.isEmpty, trimmed.count <= 64,
        !trimmed.contains(where: { $0.isWhitespace || $0 == "/" })
      else {
        throw APIError(
          .badRequest, code: "invalid_film",
          "movie_id must be 1…64 characters without spaces or slashes")
      }
      id = EntityID(parsing: trimmed)
    } else {
      // The next number above every numeric id (`Int.max` taken: the caller must name one).
      let top = catalog.movies.compactMap(\.id.intValue).max() ?? 0
      guard top < Int.max else {
        throw APIError(.badRequest, code: "invalid_film", "movie_id is needed: no free number")
      }
      id = .int(top + 1)
    }
    let genres = try list(input.genres, "genres").map { name in
      catalog.genres.first { $0.name.lowercased() == name.lowercased() } ?? Genre.named(name)
    }
    return Movie(
      id: id, title: title, genres: genres, year: input.year,
      cast: try list(input.cast, "cast"),
      director: try input.director.map { try text($0, "director") },
      keywords: try list(input.keywords, "keywords"))
  }
}
