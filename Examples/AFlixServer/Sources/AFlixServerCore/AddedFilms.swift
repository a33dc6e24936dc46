import AFlix
import Foundation

/// A film added through the service that the served model was not fitted with, placed into that
/// model by the library (`HybridModel.placeNewFilm`): scored by content, and by its ratings
/// folded into the collaborative model once it has some.
public struct PlacedFilm: Sendable {
  /// The film's id.
  public var id: String { film.movie.id.description }
  /// The placement.
  public var film: NewFilm
  /// The users who rated it (their lists leave it out).
  public var raters: Set<String>
  /// The store's write sequence of its newest rating placed (0 without ratings): a placement is
  /// never replaced by one from fewer ratings.
  public var sequence: Int64 = 0
}

/// What one recommendation request reads of the service, read together: the engine, its model's
/// generation, the added films placed into that model, and the catalogue's version (it changes
/// when a film is added).
public struct ServingSnapshot: Sendable {
  /// The engine serving.
  public var engine: RecommendationEngine
  /// How many models have been served (``RecommendationService/modelGeneration``).
  public var generation: Int
  /// The films added since the model was fitted, placed into it.
  public var newFilms: [PlacedFilm]
  /// Changes when a film is added (every cached list may miss it): what cached responses are
  /// checked against. A new model leaves it (cached lists expire by their time to live).
  public var version: Int
}

/// Why a film cannot be added.
public enum FilmAdditionError: Error, Sendable, Equatable {
  /// A film with this id is in the catalogue already.
  case exists(String)
}

extension RecommendationService {
  /// Adds `movie` to the catalogue, durably (the store keeps its whole description, and it is in
  /// the catalogue again after a restart), and places it into the served model by content: it is
  /// recommended at once, and its ratings are accepted and folded in as they come, until a
  /// training fits it like any other film.
  ///
  /// - Returns: its placement, `nil` when no model serves yet (the next training fits it, if it
  ///   has ratings by then; else it is placed then).
  /// - Throws: ``FilmAdditionError/exists(_:)`` when the id is taken; the store's errors.
  @discardableResult
  public func addFilm(_ movie: Movie) async throws -> PlacedFilm? {
    let id = movie.id.description
    guard catalog.movie(withID: movie.id) == nil else { throw FilmAdditionError.exists(id) }
    let serving = snapshot
    let placed = try (serving?.engine.model as? HybridModel).map {
      PlacedFilm(film: try $0.placeNewFilm(movie, ratings: []), raters: [])
    }
    // The store's primary key makes the id unique among every film served: past this, the
    // catalogue cannot refuse the film.
    guard try await store.addFilm(movie, addedAt: Int64(Date().timeIntervalSince1970)) else {
      throw FilmAdditionError.exists(id)
    }
    return state.withLock { s in
      s.catalog = Self.adding(movie, to: s.catalog)
      s.addedFilmIDs.insert(id)
      s.catalogVersion += 1
      // Placed into the model that serves now; a model being swapped in places the added films
      // again when their set changed while it placed them (see `serve`).
      guard let placed, s.engine != nil, s.generation == serving?.generation else { return nil }
      s.newFilms.append(placed)
      return placed
    }
  }

  /// `catalog` with `movie` added; `catalog` unchanged when the catalogue refuses it.
  private static func adding(_ movie: Movie, to catalog: Catalog) -> Catalog {
    (try? Catalog(movies: catalog.movies + [movie])) ?? catalog
  }

  /// The films added through the service that `model` was not fitted with, placed into it with
  /// their stored ratings. A film the library refuses to place is logged and left out.
  /// Returns them with the set of added films' ids they were chosen from.
  func placeNewFilms(into model: HybridModel) async throws -> ([PlacedFilm], Set<String>) {
    let (catalog, added) = state.withLock { ($0.catalog, $0.addedFilmIDs) }
    var placed: [PlacedFilm] = []
    for movie in catalog.movies where added.contains(movie.id.description) {
      guard model.items.index(of: movie.id) == nil else { continue }
      if let film = try await place(movie, into: model) { placed.append(film) }
    }
    return (placed, added)
  }

  /// `movie` placed into `model` with the store's ratings of it; `nil` when the library refuses.
  private func place(_ movie: Movie, into model: HybridModel) async throws -> PlacedFilm? {
    let ratings = try await store.ratings(ofFilm: movie.id.description)
    do {
      let film = try model.placeNewFilm(
        movie,
        ratings: ratings.map { (user: EntityID(parsing: $0.userID), value: Float($0.rating)) })
      return PlacedFilm(
        film: film, raters: Set(ratings.map(\.userID)),
        sequence: ratings.map(\.sequence).max() ?? 0)
    } catch {
      logger.warning("film \(movie.id) not placed: \(error)")
      return nil
    }
  }

  /// Places the added film `id` again with its stored ratings (after a new one), into the model
  /// serving; nothing when that model changed meanwhile (the new one placed it itself).
  func replace(filmID id: String) async throws {
    guard let snapshot, let model = snapshot.engine.model as? HybridModel,
      let movie = catalog.movie(withID: EntityID(parsing: id)),
      let film = try await place(movie, into: model)
    else { return }
    state.withLock { s in
      // Concurrent ratings place the film concurrently: the newest ratings win.
      guard s.generation == snapshot.generation,
        let k = s.newFilms.firstIndex(where: { $0.id == id }),
        s.newFilms[k].sequence <= film.sequence
      else { return }
      s.newFilms[k] = film
    }
  }
}

extension ServingSnapshot {
  /// One entry of a recommendation list: a film of the model, or an added film.
  public enum RankedFilm: Sendable {
    /// A film the model was fitted with, as the hybrid recommends it.
    case model(HybridRecommendation)
    /// An added film with its score for the user.
    case added(PlacedFilm, NewFilmScore)

    /// The score the list is ranked by (the hybrid's scale for the user).
    public var score: Float {
      switch self {
      case .model(let item): item.score
      case .added(_, let score): score.total
      }
    }
  }

  /// `result` (the hybrid's top `count` films for `user`) and the added films the user has not
  /// rated, ranked together by score (`HybridModel.score(_:forUser:contentPrior:)`, on the same
  /// scale as the hybrid's list), the top `count`; ties go to the model's films.
  public func ranked(_ result: HybridRecommendations, forUser user: String, count: Int)
    -> [RankedFilm]
  {
    let items = result.items.map(RankedFilm.model)
    guard !newFilms.isEmpty, let model = engine.model as? HybridModel else { return items }
    let id = EntityID(parsing: user)
    let added = newFilms.filter { !$0.raters.contains(user) }.map {
      RankedFilm.added($0, model.score($0.film, forUser: id))
    }
    let all = items + added.filter { $0.score.isFinite }
    // A stable sort keeps the model's films before the added ones on equal scores.
    let order = all.indices.sorted { a, b in
      all[a].score != all[b].score ? all[a].score > all[b].score : a < b
    }
    return order.prefix(max(0, count)).map { all[$0] }
  }
}
