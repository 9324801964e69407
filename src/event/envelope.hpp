#pragma once
// The event as JSON text, in the configured format (SPEC section 3).

#include <string>

#include "config/config.hpp"
#include "event/event.hpp"

namespace herald::event {

std::string encode(const Event& event, config::Format format);

}  // namespace herald::event
