/* Notifications through libcurl: for now, only the library's version. */

#include <curl/curl.h>

#include "updraft.h"

const char *
notify_library_version(void)
{
	return (curl_version_info(CURLVERSION_NOW)->version);
}
