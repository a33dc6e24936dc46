/// What a data source says about one user: age, gender, occupation and postal code, each
/// optional (MovieLens 100k's `u.user` gives all four).
///
/// ```swift
/// let table = try MovieLens100KLoader.loadUsers(folder: URL(fileURLWithPath: "ml-100k"))
/// let first = table.attributes(of: 1)   // UserAttributes(id: 1, age: 24, gender: "M", …)
/// first?.ageBand                         // .from18To24
/// table.attributes(of: 99_999)           // nil: an unknown id
/// ```
public struct UserAttributes: Sendable, Hashable, Codable {
  /// The user's id, as ratings name users.
  public var id: EntityID
  /// The age in years.
  public var age: Int?
  /// The gender as the source spells it (MovieLens: `"M"` or `"F"`).
  public var gender: String?
  /// The occupation as the source spells it (MovieLens: `"technician"`, `"student"` …).
  public var occupation: String?
  /// The postal code as text (leading zeros kept; some MovieLens codes are not numeric).
  public var zipCode: String?

  /// Creates a user's attributes; everything but the id is optional.
  public init(
    id: EntityID, age: Int? = nil, gender: String? = nil, occupation: String? = nil,
    zipCode: String? = nil
  ) {
    self.id = id
    self.age = age
    self.gender = gender
    self.occupation = occupation
    self.zipCode = zipCode
  }

  /// The age band of ``age``, or `nil` without an age.
  public var ageBand: AgeBand? { age.map(AgeBand.init(age:)) }
}

/// The age bands MovieLens 1M uses for its users (under 18, 18–24, 25–34, 35–44, 45–49, 50–55,
/// 56 and over), used to group users by age.
///
/// ```swift
/// AgeBand(age: 24)   // .from18To24
/// AgeBand(age: 56)   // .from56
/// ```
public enum AgeBand: Int, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
  /// Younger than 18.
  case under18
  /// 18 to 24.
  case from18To24
  /// 25 to 34.
  case from25To34
  /// 35 to 44.
  case from35To44
  /// 45 to 49.
  case from45To49
  /// 50 to 55.
  case from50To55
  /// 56 and over.
  case from56

  /// The band of an age in years (negative ages count as under 18).
  public init(age: Int) {
    switch age {
    case ..<18: self = .under18
    case 18...24: self = .from18To24
    case 25...34: self = .from25To34
    case 35...44: self = .from35To44
    case 45...49: self = .from45To49
    case 50...55: self = .from50To55
    default: self = .from56
    }
  }

  /// `"under 18"`, `"18-24"` … `"56+"`.
  public var description: String {
    switch self {
    case .under18: "under 18"
    case .from18To24: "18-24"
    case .from25To34: "25-34"
    case .from35To44: "35-44"
    case .from45To49: "45-49"
    case .from50To55: "50-55"
    case .from56: "56+"
    }
  }
}

/// Users' attributes, looked up by user id.
///
/// ```swift
/// let table = try UserAttributeTable([
///   UserAttributes(id: 1, age: 24, gender: "M", occupation: "technician", zipCode: "85711")
/// ])
/// table.attributes(of: 1)?.occupation   // "technician"
/// table.attributes(of: 2)               // nil
/// ```
public struct UserAttributeTable: Sendable, Hashable, Codable {
  /// The users' attributes, in source order.
  public private(set) var all: [UserAttributes]
  private var index: [EntityID: Int]

  /// Creates a table.
  ///
  /// - Throws: ``DataError`` `.invalidArgument` when two entries share an id.
  public init(_ attributes: [UserAttributes]) throws {
    var index = [EntityID: Int](minimumCapacity: attributes.count)
    for (k, entry) in attributes.enumerated() {
      if let previous = index.updateValue(k, forKey: entry.id) {
        throw DataError(
          .invalidArgument, field: "user id", value: entry.id.description,
          message: "entries #\(previous) and #\(k) share the user id \(entry.id)")
      }
    }
    self.all = attributes
    self.index = index
  }

  /// Decodes the list of entries and rebuilds the lookup.
  ///
  /// - Throws: `DecodingError` for a malformed list, ``DataError`` for repeated ids.
  public init(from decoder: any Decoder) throws {
    try self.init(try decoder.singleValueContainer().decode([UserAttributes].self))
  }

  /// Encodes the list of entries.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(all)
  }

  /// The number of users in the table.
  public var count: Int { all.count }

  /// The attributes of the user with id `id`, or `nil` for an id the table does not hold.
  public func attributes(of id: EntityID) -> UserAttributes? {
    index[id].map { all[$0] }
  }
}
