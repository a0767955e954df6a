#include "drivers/scan/gs1/epc_identifiers.hpp"

#include <algorithm>
#include <optional>

namespace prm::scan::gs1 {
namespace {

enum class Level { instance, klass };

// How one object key decides between instance and class. A key is an instance when it
// has one of `serial_qualifiers` among the elements, or when its own value is longer than
// `serial_after` (GRAI, GDTI, GCN carry an optional serial component inside the value;
// 0 = never). `class_qualifiers` go into a class URI when present.
struct ObjectKey {
  std::string_view ai;
  std::string_view as_ai;  // the key the URI is built with, when not ai itself
  std::optional<Level> always;
  std::vector<std::string_view> serial_qualifiers;
  std::vector<std::string_view> class_qualifiers;
  std::size_t serial_after = 0;
};

const std::vector<ObjectKey>& object_keys() {
  static const std::vector<ObjectKey> keys = {
      {"00", "", Level::instance, {}, {}},
      {"01", "", std::nullopt, {"21", "235"}, {"22", "10"}},
      // The GTIN of the trade items a logistic unit contains (with 00 and a count in 37).
      {"02", "01", Level::klass, {}, {"10"}},
      {"253", "", std::nullopt, {}, {}, 13},
      {"255", "", std::nullopt, {}, {}, 13},
      {"401", "", Level::instance, {}, {}},
      {"402", "", Level::instance, {}, {}},
      {"8003", "", std::nullopt, {}, {}, 14},
      {"8004", "", Level::instance, {}, {}},
      {"8006", "", std::nullopt, {"21"}, {"22", "10"}},
      {"8010", "", std::nullopt, {"8011"}, {}},
      {"8013", "", Level::klass, {}, {}},
      {"8017", "", Level::instance, {}, {}},
      {"8018", "", Level::instance, {}, {}},
  };
  return keys;
}

const ObjectKey* object_key(std::string_view ai) {
  for (const auto& key : object_keys())
    if (key.ai == ai) return &key;
  return nullptr;
}

const AiElement* find(const std::vector<AiElement>& elements, std::string_view ai) {
  for (const auto& e : elements)
    if (e.ai == ai) return &e;
  return nullptr;
}

void add_once(std::vector<std::string>& list, std::string uri) {
  if (std::find(list.begin(), list.end(), uri) == list.end()) list.push_back(std::move(uri));
}

}  // namespace

std::variant<EpcIdentifiers, Rejection> epc_identifiers(const std::vector<AiElement>& elements,
                                                        std::string_view base) {
  EpcIdentifiers out;
  for (const auto& element : elements) {
    const ObjectKey* key = object_key(element.ai);
    if (!key) continue;  // not a key, or a place or a party
    std::vector<AiElement> parts{element};
    if (!key->as_ai.empty()) parts[0].ai = key->as_ai;
    Level level = Level::klass;
    if (key->always) {
      level = *key->always;
    } else if (key->serial_after && element.value.size() > key->serial_after) {
      level = Level::instance;
    } else {
      for (auto q : key->serial_qualifiers)
        if (const AiElement* serial = find(elements, q); serial && level == Level::klass) {
          parts.push_back(*serial);
          level = Level::instance;
        }
    }
    if (level == Level::klass)
      for (auto q : key->class_qualifiers)
        if (const AiElement* qualifier = find(elements, q)) parts.push_back(*qualifier);
    auto uri = to_digital_link(parts, base);
    if (auto* rejection = std::get_if<Rejection>(&uri)) return *rejection;
    add_once(level == Level::instance ? out.instances : out.classes,
             std::move(std::get<std::string>(uri)));
  }
  return out;
}

}  // namespace prm::scan::gs1
