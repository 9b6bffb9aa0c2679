// A tiny peer for the testkit's own tests: prints "READY <pid>", then obeys lines from stdin:
// "ECHO <text>" prints <text>, "EXIT <code>" exits with <code>; end of input exits 0.
#include "handshake_peer.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <unistd.h>

int main()
{
    std::cout << HANDSHAKE_READY << ' ' << ::getpid() << std::endl;
    std::string line;
    while (std::getline(std::cin, line))
    {
        if (line.rfind("ECHO ", 0) == 0)
        {
            std::cout << line.substr(5) << std::endl;
        }
        else if (line.rfind("EXIT ", 0) == 0)
        {
            return std::atoi(line.c_str() + 5);
        }
    }
    return 0;
}
