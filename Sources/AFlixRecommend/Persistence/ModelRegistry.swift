import Foundation

/// The model kinds this build can load, by ``PersistableModel/archiveKind``.
public enum ModelRegistry {
  /// The kinds this build reads.
  public static let kinds: [String] = [
    BaselineModel.archiveKind, BiasedMFModel.archiveKind, TruncatedSVDModel.archiveKind,
    PopularityModel.archiveKind, BlendModel.archiveKind, EASEModel.archiveKind,
    ImplicitALSModel.archiveKind, BPRModel.archiveKind, KNNBaselineModel.archiveKind,
    StrataModel.archiveKind, ContentModel.archiveKind, HybridModel.archiveKind,
  ]

  /// Loads whichever model `url` holds, ready to serve: the result recommends, folds users in
  /// and saves without a cast.
  ///
  /// The file's bytes are checked (magic, version, length, checksums), then its values (see
  /// ``PersistableModel/init(archive:)``): a model that loads predicts finite values.
  ///
  /// - Throws: ``ModelFileError`` naming the file (its last path component) and, for a bad value,
  ///   the field and entry; `.wrongKind` when the kind is unknown to this build.
  public static func load(from url: URL) throws -> any RecommenderModel {
    let archive = try ModelArchive.read(from: url)
    do {
      return try model(from: archive, file: url.lastPathComponent)
    } catch let error as ModelFileError {
      throw error.naming(url.lastPathComponent)
    }
  }

  /// The model an archive holds.
  static func model(from archive: ModelArchive, file: String? = nil) throws
    -> any RecommenderModel
  {
    switch archive.kind {
    case BaselineModel.archiveKind: return try BaselineModel(archive: archive)
    case BiasedMFModel.archiveKind: return try BiasedMFModel(archive: archive)
    case TruncatedSVDModel.archiveKind: return try TruncatedSVDModel(archive: archive)
    case PopularityModel.archiveKind: return try PopularityModel(archive: archive)
    case BlendModel.archiveKind: return try BlendModel(archive: archive)
    case HybridModel.archiveKind: return try HybridModel(archive: archive)
    case EASEModel.archiveKind: return try EASEModel(archive: archive)
    case ImplicitALSModel.archiveKind: return try ImplicitALSModel(archive: archive)
    case BPRModel.archiveKind: return try BPRModel(archive: archive)
    case KNNBaselineModel.archiveKind: return try KNNBaselineModel(archive: archive)
    case StrataModel.archiveKind: return try StrataModel(archive: archive)
    case ContentModel.archiveKind: return try ContentModel(archive: archive)
    default:
      throw ModelFileError(
        .wrongKind, file: file,
        "unknown model kind '\(archive.kind)' (known: \(kinds.joined(separator: ", ")))")
    }
  }
}
