#pragma once
// PostgreSQL's built-in type OIDs (pg_type.dat). They are fixed across server versions,
// which is what lets the decoder convert column text without asking the catalog.

#include <cstdint>
#include <optional>

namespace herald::capture {

using TypeOid = std::uint32_t;

namespace oid {
inline constexpr TypeOid kBool = 16;
inline constexpr TypeOid kBytea = 17;
inline constexpr TypeOid kChar = 18;
inline constexpr TypeOid kName = 19;
inline constexpr TypeOid kInt8 = 20;
inline constexpr TypeOid kInt2 = 21;
inline constexpr TypeOid kInt4 = 23;
inline constexpr TypeOid kText = 25;
inline constexpr TypeOid kOid = 26;
inline constexpr TypeOid kJson = 114;
inline constexpr TypeOid kXml = 142;
inline constexpr TypeOid kCidr = 650;
inline constexpr TypeOid kFloat4 = 700;
inline constexpr TypeOid kFloat8 = 701;
inline constexpr TypeOid kMacaddr8 = 774;
inline constexpr TypeOid kMoney = 790;
inline constexpr TypeOid kMacaddr = 829;
inline constexpr TypeOid kInet = 869;
inline constexpr TypeOid kBpchar = 1042;
inline constexpr TypeOid kVarchar = 1043;
inline constexpr TypeOid kDate = 1082;
inline constexpr TypeOid kTime = 1083;
inline constexpr TypeOid kTimestamp = 1114;
inline constexpr TypeOid kTimestamptz = 1184;
inline constexpr TypeOid kInterval = 1186;
inline constexpr TypeOid kTimetz = 1266;
inline constexpr TypeOid kBit = 1560;
inline constexpr TypeOid kVarbit = 1562;
inline constexpr TypeOid kNumeric = 1700;
inline constexpr TypeOid kUuid = 2950;
inline constexpr TypeOid kJsonb = 3802;

inline constexpr TypeOid kJsonArray = 199;
inline constexpr TypeOid kXmlArray = 143;
inline constexpr TypeOid kCidrArray = 651;
inline constexpr TypeOid kMacaddr8Array = 775;
inline constexpr TypeOid kMoneyArray = 791;
inline constexpr TypeOid kBoolArray = 1000;
inline constexpr TypeOid kByteaArray = 1001;
inline constexpr TypeOid kCharArray = 1002;
inline constexpr TypeOid kNameArray = 1003;
inline constexpr TypeOid kInt2Array = 1005;
inline constexpr TypeOid kInt4Array = 1007;
inline constexpr TypeOid kTextArray = 1009;
inline constexpr TypeOid kBpcharArray = 1014;
inline constexpr TypeOid kVarcharArray = 1015;
inline constexpr TypeOid kInt8Array = 1016;
inline constexpr TypeOid kFloat4Array = 1021;
inline constexpr TypeOid kFloat8Array = 1022;
inline constexpr TypeOid kOidArray = 1028;
inline constexpr TypeOid kMacaddrArray = 1040;
inline constexpr TypeOid kInetArray = 1041;
inline constexpr TypeOid kTimestampArray = 1115;
inline constexpr TypeOid kDateArray = 1182;
inline constexpr TypeOid kTimeArray = 1183;
inline constexpr TypeOid kTimestamptzArray = 1185;
inline constexpr TypeOid kIntervalArray = 1187;
inline constexpr TypeOid kNumericArray = 1231;
inline constexpr TypeOid kTimetzArray = 1270;
inline constexpr TypeOid kBitArray = 1561;
inline constexpr TypeOid kVarbitArray = 1563;
inline constexpr TypeOid kUuidArray = 2951;
inline constexpr TypeOid kJsonbArray = 3807;
}  // namespace oid

// The element type of a built-in array type, or nothing when `array` is not one we know.
constexpr std::optional<TypeOid> builtin_array_element(TypeOid array) {
  switch (array) {
    case oid::kJsonArray:
      return oid::kJson;
    case oid::kXmlArray:
      return oid::kXml;
    case oid::kCidrArray:
      return oid::kCidr;
    case oid::kMacaddr8Array:
      return oid::kMacaddr8;
    case oid::kMoneyArray:
      return oid::kMoney;
    case oid::kBoolArray:
      return oid::kBool;
    case oid::kByteaArray:
      return oid::kBytea;
    case oid::kCharArray:
      return oid::kChar;
    case oid::kNameArray:
      return oid::kName;
    case oid::kInt2Array:
      return oid::kInt2;
    case oid::kInt4Array:
      return oid::kInt4;
    case oid::kTextArray:
      return oid::kText;
    case oid::kBpcharArray:
      return oid::kBpchar;
    case oid::kVarcharArray:
      return oid::kVarchar;
    case oid::kInt8Array:
      return oid::kInt8;
    case oid::kFloat4Array:
      return oid::kFloat4;
    case oid::kFloat8Array:
      return oid::kFloat8;
    case oid::kOidArray:
      return oid::kOid;
    case oid::kMacaddrArray:
      return oid::kMacaddr;
    case oid::kInetArray:
      return oid::kInet;
    case oid::kTimestampArray:
      return oid::kTimestamp;
    case oid::kDateArray:
      return oid::kDate;
    case oid::kTimeArray:
      return oid::kTime;
    case oid::kTimestamptzArray:
      return oid::kTimestamptz;
    case oid::kIntervalArray:
      return oid::kInterval;
    case oid::kNumericArray:
      return oid::kNumeric;
    case oid::kTimetzArray:
      return oid::kTimetz;
    case oid::kBitArray:
      return oid::kBit;
    case oid::kVarbitArray:
      return oid::kVarbit;
    case oid::kUuidArray:
      return oid::kUuid;
    case oid::kJsonbArray:
      return oid::kJsonb;
    default:
      return std::nullopt;
  }
}

}  // namespace herald::capture
