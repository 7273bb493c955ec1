/** Table-driven G.711 µ-law / A-law ({@link dev.switchboard.voice.codec.G711}). */
package dev.switchboard.voice.codec;
