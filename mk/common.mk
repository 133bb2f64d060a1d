# Flags shared by every user-space Makefile: include it with
#   include $(dir $(lastword $(MAKEFILE_LIST)))../mk/common.mk
# (or the right number of ../). It defines, once for the whole tree:
#
#   CC, CFLAGS       the user's (make's default cc, -O2 -g when unset); a
#                    packager's CFLAGS/CPPFLAGS/LDFLAGS (dpkg-buildflags) reach
#                    every compile and link line after the project's own flags
#   WARN_CFLAGS      the one warning set
#   SAN_CFLAGS       the one sanitizer set (unit tests, fuzzers)
#   VERSION          the package version, from debian/changelog (the one source)
#   VERSION_CPPFLAGS -DPACKAGE_VERSION="..." for programs that print --version

MK_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)

CFLAGS ?= -O2 -g
CPPFLAGS ?=
LDFLAGS ?=

WARN_CFLAGS := -Wall -Wextra -Werror -Wshadow -Wvla -Wformat=2 -Wno-format-nonliteral \
	-Wno-unused-parameter -Wno-missing-field-initializers
SAN_CFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# The first line of debian/changelog: "spdm (0.1.0-1) unstable; urgency=medium".
VERSION := $(shell awk -F'[()]' 'NR == 1 { sub(/-[^-]*$$/, "", $$2); print $$2; exit }' \
	$(MK_TOP)/debian/changelog)
VERSION_CPPFLAGS := -DPACKAGE_VERSION='"$(VERSION)"'
