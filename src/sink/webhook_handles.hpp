#pragma once
// Owners for the C handles the webhook sink holds (libcurl, OpenSSL's MAC): one unique_ptr
// alias per C type with its destroy function as the deleter, so nothing leaks on an early
// exit and nothing is freed twice.

#include <curl/curl.h>
#include <openssl/evp.h>

#include <memory>

namespace herald::sink::webhook {

template <auto Destroy>
struct HandleDeleter {
  template <typename T>
  void operator()(T* handle) const noexcept {
    Destroy(handle);
  }
};

using EasyPtr = std::unique_ptr<CURL, HandleDeleter<&curl_easy_cleanup>>;
// curl_multi_cleanup returns a CURLMcode; the deleter ignores it (nothing to do about it).
inline void destroy_multi(CURLM* multi) noexcept {
  static_cast<void>(curl_multi_cleanup(multi));
}
using MultiPtr = std::unique_ptr<CURLM, HandleDeleter<&destroy_multi>>;
using SlistPtr = std::unique_ptr<curl_slist, HandleDeleter<&curl_slist_free_all>>;
using UrlPtr = std::unique_ptr<CURLU, HandleDeleter<&curl_url_cleanup>>;
using MacPtr = std::unique_ptr<EVP_MAC, HandleDeleter<&EVP_MAC_free>>;
using MacContextPtr = std::unique_ptr<EVP_MAC_CTX, HandleDeleter<&EVP_MAC_CTX_free>>;

// curl_global_init once per process, before the first handle (libcurl requires it to run
// before threads use curl; call it from the thread that creates a sink). Never cleaned up:
// other parts of the process may still use libcurl at exit.
void ensure_curl_initialized();

}  // namespace herald::sink::webhook
