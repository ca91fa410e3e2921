/** The runtime model shared by workers and the REST API. Depends on connect-api only. */
package io.sluice.core;
