/**
 * Turns sink records into bulk actions (index, update, delete) with their document ids and JSON
 * bodies, and Connect schemas into index mappings. Pure functions of the record: no I/O. Depends
 * on connect-api and Jackson only.
 */
package io.sluice.connect.elasticsearch.document;
