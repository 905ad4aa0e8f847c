#!/bin/sh
/work/main/.gpu/run/cache/membw/6d1a8de157bb/membw 16 1258291200 10
