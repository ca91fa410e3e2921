/** The SELECT per mode, its execution streamed over polls, and the source offsets it keeps. */
package io.sluice.connect.jdbc.query;
