// Does not compile: CppLayoutCheckerTest expects a clear IllegalStateException with g++'s diagnostics.
#pragma once
struct Broken { not_a_type x; };
