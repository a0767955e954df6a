#pragma once
// A persistent session made on the network's broker before any agent starts.
#include <string>

namespace prm::sim::network {

// The topic filter a kept session subscribes to: everything the agents publish.
inline constexpr const char* kKeptSessionFilter = "prm/v1/#";

// Connects as client_id with a persistent session (clean session off), subscribes to
// kKeptSessionFilter at QoS 1 and disconnects. From then on the broker queues every event
// for that id, so a consumer that connects later with it (a test's probe, a board started
// after the network) receives the day from its first event, not from when it got there.
// Throws std::runtime_error when the broker does not take the session.
void keep_session(const std::string& broker_uri, const std::string& client_id);

}  // namespace prm::sim::network
