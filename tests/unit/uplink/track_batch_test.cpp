#include "agent/uplink/track_batch.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using prm::outbox::Record;
using prm::uplink::TrackBatch;
using prm::uplink::TrackBatchLimits;

namespace {
Record position(std::int64_t seq, std::size_t padding = 0) {
  Record r;
  r.seq = seq;
  r.type = "position";
  r.topic = "prm/v1/vehicles/t1/position";
  r.retained = true;
  r.payload = R"({"type":"position","seq":)" + std::to_string(seq) + R"(,"pad":")" +
              std::string(padding, 'x') + R"("})";
  return r;
}
}  // namespace

TEST_CASE("a track batch is a JSON array of the very same envelopes, in seq order") {
  TrackBatch batch(TrackBatchLimits{});
  CHECK(batch.empty());
  for (std::int64_t seq = 5; seq <= 7; ++seq) REQUIRE(batch.add(position(seq)));
  CHECK(batch.first_seq() == 5);
  std::vector<std::int64_t> seqs;
  auto message = batch.take("prm/v1/vehicles/t1/track", seqs);
  CHECK(batch.empty());
  CHECK(seqs == std::vector<std::int64_t>{5, 6, 7});
  CHECK(message.seq == 7);  // the PUBACK comes back under the last seq
  CHECK(message.topic == "prm/v1/vehicles/t1/track");
  CHECK_FALSE(message.retained);
  auto array = nlohmann::json::parse(message.payload);
  REQUIRE(array.size() == 3);
  for (std::size_t i = 0; i < 3; ++i)
    CHECK(array[i].dump() == nlohmann::json::parse(position(5 + i).payload).dump());
}

TEST_CASE("a track batch is full at its position count or its byte size") {
  TrackBatch by_count(TrackBatchLimits{3, 1 << 20});
  for (std::int64_t seq = 1; seq <= 3; ++seq) REQUIRE(by_count.add(position(seq)));
  CHECK_FALSE(by_count.add(position(4)));

  TrackBatch by_bytes(TrackBatchLimits{1000, 2048});
  std::int64_t seq = 0;
  while (by_bytes.add(position(++seq, 300))) {
  }
  std::vector<std::int64_t> seqs;
  auto message = by_bytes.take("t", seqs);
  CHECK(message.payload.size() <= 2048);
  CHECK(seqs.size() == static_cast<std::size_t>(seq - 1));
  CHECK(seqs.size() >= 5);
  // A position bigger than the limit still goes, alone.
  TrackBatch tiny(TrackBatchLimits{10, 1024});
  CHECK(tiny.add(position(1, 4000)));
  CHECK_FALSE(tiny.add(position(2)));
}
