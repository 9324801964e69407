#include "sink/webhook_handles.hpp"

#include <mutex>

namespace herald::sink::webhook {

void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] { static_cast<void>(curl_global_init(CURL_GLOBAL_DEFAULT)); });
}

}  // namespace herald::sink::webhook
