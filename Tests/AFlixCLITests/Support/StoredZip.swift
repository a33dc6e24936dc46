import Foundation

/// Writes zip archives without compression ("stored" entries), byte by byte, so a test controls
/// every detail: entry names `zip` would refuse (`../x`), symbolic links, a wrong CRC.
enum StoredZip {
  /// One entry.
  struct Entry {
    var name: String
    var data: Data
    /// A symbolic link whose target is `data`.
    var isSymlink = false
    /// Records a CRC-32 that does not match the data, so `unzip` fails on this entry after
    /// writing it.
    var corruptCRC = false

    init(_ name: String, _ text: String, isSymlink: Bool = false, corruptCRC: Bool = false) {
      self.name = name
      self.data = Data(text.utf8)
      self.isSymlink = isSymlink
      self.corruptCRC = corruptCRC
    }

    init(_ name: String, data: Data) {
      self.name = name
      self.data = data
    }
  }

  /// The archive holding `entries`, in order (no folder entries: `unzip` makes folders).
  static func make(_ entries: [Entry]) -> Data {
    var archive = Data()
    var central = Data()
    for entry in entries {
      let name = Data(entry.name.utf8)
      var crc = crc32(entry.data)
      if entry.corruptCRC { crc ^= 0xDEAD_BEEF }
      let offset = UInt32(archive.count)
      archive.append(le32(0x0403_4b50))
      archive.append(le16(20))  // version needed
      archive.append(le16(0))  // flags
      archive.append(le16(0))  // stored
      archive.append(le16(0))  // time
      archive.append(le16(0x21))  // date: 1980-01-01
      archive.append(le32(crc))
      archive.append(le32(UInt32(entry.data.count)))
      archive.append(le32(UInt32(entry.data.count)))
      archive.append(le16(UInt16(name.count)))
      archive.append(le16(0))
      archive.append(name)
      archive.append(entry.data)

      let mode: UInt32 = entry.isSymlink ? 0o120_777 : 0o100_644
      central.append(le32(0x0201_4b50))
      central.append(le16(0x0314))  // made by Unix, spec 2.0
      central.append(le16(20))
      central.append(le16(0))
      central.append(le16(0))
      central.append(le16(0))
      central.append(le16(0x21))
      central.append(le32(crc))
      central.append(le32(UInt32(entry.data.count)))
      central.append(le32(UInt32(entry.data.count)))
      central.append(le16(UInt16(name.count)))
      central.append(le16(0))  // extra
      central.append(le16(0))  // comment
      central.append(le16(0))  // disk
      central.append(le16(0))  // internal attributes
      central.append(le32(mode << 16))
      central.append(le32(offset))
      central.append(name)
    }
    let centralOffset = UInt32(archive.count)
    archive.append(central)
    archive.append(le32(0x0605_4b50))
    archive.append(le16(0))
    archive.append(le16(0))
    archive.append(le16(UInt16(entries.count)))
    archive.append(le16(UInt16(entries.count)))
    archive.append(le32(UInt32(central.count)))
    archive.append(le32(centralOffset))
    archive.append(le16(0))
    return archive
  }

  /// CRC-32 (IEEE 802.3, reflected, as zip uses).
  static func crc32(_ data: Data) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in data {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
    }
    return ~crc
  }

  private static func le16(_ value: UInt16) -> Data {
    Data([UInt8(value & 0xFF), UInt8(value >> 8)])
  }

  private static func le32(_ value: UInt32) -> Data {
    Data((0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) })
  }
}
