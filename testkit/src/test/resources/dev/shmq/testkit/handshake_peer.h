#pragma once

// The first word the peer prints, proving headers from the classpath are found beside the source.
#define HANDSHAKE_READY "READY"
