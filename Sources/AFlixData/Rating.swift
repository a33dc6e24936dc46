/// One rating: a user's value for an item, with the time it was given when known.
public struct Rating: Sendable, Hashable, Codable {
  /// The user's external identifier.
  public var user: EntityID
  /// The item's external identifier.
  public var item: EntityID
  /// The rating value.
  public var value: Float
  /// When the rating was given, in seconds since 1970-01-01 UTC (as MovieLens stores it).
  public var timestamp: Int64?

  /// Creates a rating.
  public init(user: EntityID, item: EntityID, value: Float, timestamp: Int64? = nil) {
    self.user = user
    self.item = item
    self.value = value
    self.timestamp = timestamp
  }
}
