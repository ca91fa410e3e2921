/** The operator web UI, served at /ui; uses the public REST API only. */
package io.sluice.ui;
