/* Shared by the fuzz targets: the libFuzzer entry point each defines, and
 * the path of the source tree (for the recorded evidence some targets
 * build on). */
#ifndef DD_TESTS_FUZZ_H
#define DD_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
