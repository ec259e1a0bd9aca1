module godefer.example/bench

go 1.19
