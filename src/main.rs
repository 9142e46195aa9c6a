fn main() {
    hoso_app::run();
}
